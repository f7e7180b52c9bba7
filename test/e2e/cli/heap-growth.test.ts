import { spawnSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';

// After the CLI's main() has run (`--version` here), the process allocates until V8 does full
// collections; --trace-gc-verbose prints each new old-generation limit with the factor it used.
const AFTER_MAIN = `
const { main } = await import('./dist/plugin/cli/main.js');
await main(new URL('file://${process.cwd()}/'), ${'process.argv.slice(1)'});
const keep = [];
for (let i = 0; i < 600000; i++) { keep.push({ i, s: 'x' + i }); for (let j = 0; j < 5; j++) ({ j }); }
`;

/** The factors V8 sized the old generation with, in a process running the CLI from dist/. */
function growthFactors(nodeArgs: string[]): string[] {
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, '--trace-gc-verbose', '--input-type=module', '-e', AFTER_MAIN, '--', '--version'],
    { env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.status).toBe(0);
  return [...r.stdout.matchAll(/\[HeapController\] Limit: .*\(([\d.]+)\)$/gm)].map((m) => m[1]!);
}

describe('the CLI bounds heap growth (core/service/heap-growth.ts)', () => {
  it('sizes the old generation at ×2 of what survived, not V8’s dynamic factor of up to ×4', () => {
    const factors = growthFactors([]);
    expect(factors.length).toBeGreaterThan(0);
    expect(new Set(factors)).toEqual(new Set(['2.0']));
  });

  it('leaves a factor given on the node command line alone', () => {
    const factors = growthFactors(['--heap-growing-percent=200']);
    expect(factors.length).toBeGreaterThan(0);
    expect(new Set(factors)).toEqual(new Set(['3.0']));
  });
});
