import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { directToken } from '../../../../plugin/cluster/direct-token.js';

const dir = mkdtempSync(join(tmpdir(), 'seco-token-file-'));

describe('directToken (--token, --token-file, SECO_TOKEN)', () => {
  it('reads --token-file, without the trailing newline', () => {
    const path = join(dir, 'token');
    writeFileSync(path, 'abc123\n');
    expect(directToken({ 'token-file': path })).toBe('abc123');
    expect(directToken({ token: 'given' })).toBe('given');
    expect(directToken({})).toBeUndefined();
  });

  it('refuses both at once, a missing file and a file holding more than one token', () => {
    const path = join(dir, 'two');
    writeFileSync(path, 'one\ntwo\n');
    expect(() => directToken({ token: 'a', 'token-file': path })).toThrow(/not both/);
    expect(() => directToken({ 'token-file': join(dir, 'nope') })).toThrow(/ENOENT/);
    expect(() => directToken({ 'token-file': path })).toThrow(/expected one token/);
  });
});
