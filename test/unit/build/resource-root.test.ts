import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { resourcePath } from '../../../core/build/resource-root.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('resourcePath (outside the single executable)', () => {
  it("finds the package's data directories and files by their path in the package", () => {
    expect(resourcePath('core/runtime/rules')).toBe(join(repoRoot, 'core/runtime/rules'));
    expect(resourcePath('manifests')).toBe(join(repoRoot, 'manifests'));
  });

  it("finds a dependency's file where Node's lookup would", () => {
    const wasm = resourcePath('node_modules/sql.js/dist/sql-wasm.wasm');
    expect(wasm.endsWith(join('sql.js', 'dist', 'sql-wasm.wasm'))).toBe(true);
    expect(existsSync(wasm)).toBe(true);
  });

  it('refuses a path that leaves the package', () => {
    expect(() => resourcePath('../../etc/passwd')).toThrow(/must stay inside the package/);
    expect(() => resourcePath('/etc/passwd')).toThrow(/must stay inside the package/);
  });

  it('names what it could not find and where it looked', () => {
    expect(() => resourcePath('core/no-such-rules')).toThrow(/core\/no-such-rules is not in .*core\/build/);
  });
});
