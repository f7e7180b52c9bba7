import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

// What a start must not evaluate unless its command needs it: the TUI, the bus, the Kubernetes and
// S3 clients, the image scanner. Commands import them inside run(); in the release bundle the same
// dynamic imports become lazily run initializers (tools/release/bundle.ts).
const HEAVY =
  /\/node_modules\/(ink|react|react-reconciler|@nats-io\/[^/]+|@kubernetes\/client-node|minio)\/|\/dist\/core\/image\//;

// What only a command's run() needs — the report model's zod schemas, the renderers (yaml, picocolors)
// — but not the flag definitions: `--help` must not evaluate these either. The flags use the zod-free
// core/model/severity-levels.ts and core/report/render/formats.ts.
const RUN_ONLY =
  /\/node_modules\/(zod|yaml|picocolors)\/|\/dist\/core\/model\/(?!severity-levels\.js|compliance-frameworks\.js)|\/dist\/core\/report\/render\/(?!formats\.js)|\/dist\/plugin\/output\/emit-report\.js/;

// The validating-admission-policy engine: what only `scan --policy` needs.
const VAP_ENGINE = /\/dist\/core\/(admission|cel)\/|\/node_modules\/(@marcbachmann\/cel-js|re2js)\//;

const work = mkdtempSync(join(tmpdir(), 'seco-trace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI from dist/ with the module-trace hooks; returns the loaded module URLs. */
function trace(name: string, args: string[]): string[] {
  const out = join(work, `${name}.txt`);
  const r = spawnSync(
    process.execPath,
    ['--import', resolve('test/harness/module-trace/register.mjs'), 'bin/kubectl-seco.js', ...args],
    { env: { ...process.env, NODE_OPTIONS: '', SECO_MODULE_TRACE: out }, encoding: 'utf8', timeout: 60_000 },
  );
  expect(r.status).toBe(0);
  return readFileSync(out, 'utf8').split('\n').filter(Boolean);
}

describe('start-up loads only what the command needs', () => {
  it('--help evaluates no TUI, bus, Kubernetes, S3 or image-scanner module, nor the report model or renderers', () => {
    const loaded = trace('help', ['--help']);
    expect(loaded.some((u) => u.endsWith('/dist/plugin/commands/index.js'))).toBe(true);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(loaded.filter((u) => RUN_ONLY.test(u))).toEqual([]);
  });

  it('scan -f evaluates the config scanner but none of those', () => {
    const loaded = trace('scan', ['scan', '-f', 'examples/demo-app/common', '-o', 'json']);
    expect(loaded.some((u) => u.includes('/dist/core/config/'))).toBe(true);
    // the run-only pattern matches what a scan does load: the assertion on --help can fail
    expect(loaded.filter((u) => RUN_ONLY.test(u)).length).toBeGreaterThan(0);
    expect(loaded.filter((u) => HEAVY.test(u))).toEqual([]);
    // The VAP engine (CEL, its libraries, re2js) only with --policy: just the list of policy kinds here.
    expect(loaded.filter((u) => VAP_ENGINE.test(u))).toEqual([
      expect.stringMatching(/\/dist\/core\/admission\/policy-kinds\.js$/),
    ]);
  });

  it('scan -f --policy evaluates the VAP engine', () => {
    const loaded = trace('scan-policy', [
      'scan',
      '-f',
      'examples/demo-app/common',
      '--policy',
      'examples/policies',
      '-o',
      'json',
    ]);
    expect(loaded.filter((u) => VAP_ENGINE.test(u)).length).toBeGreaterThan(10);
  });

  it('the trace sees a heavy module when a command does load one', () => {
    // install --dry-run --no-resolve (no registry lookups: no network here) renders manifests with the Kubernetes client's types: proves the pattern matches.
    const loaded = trace('install', ['install', '--dry-run', '--no-resolve']);
    expect(loaded.filter((u) => HEAVY.test(u)).length).toBeGreaterThan(0);
  });
});
