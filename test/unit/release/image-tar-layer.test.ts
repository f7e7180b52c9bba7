import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { type LayerEntry, writeLayer } from '../../../tools/release/image/tar-layer.js';

const dir = mkdtempSync(join(tmpdir(), 'seco-tar-layer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = join(dir, 'source.bin');
writeFileSync(source, Buffer.alloc(300_000, 7));
const entries: LayerEntry[] = [
  { path: 'usr/local/bin/node', type: 'file', mode: 0o755, content: { source, size: 300_000 } },
  {
    path: 'etc/passwd',
    type: 'file',
    mode: 0o644,
    content: Buffer.from('root:x:0:0::/root:/sbin/nologin\n'),
  },
  { path: 'lib64/ld.so', type: 'symlink', target: '/lib/x/ld.so' },
  { path: 'home/nonroot', type: 'directory', mode: 0o700, uid: 65532, gid: 65532 },
];

describe('reproducible tar layer', () => {
  it('the same entries in any order give the same blob', async () => {
    const a = await writeLayer(entries, 1_700_000_000, join(dir, 'a.tgz'));
    const b = await writeLayer([...entries].reverse(), 1_700_000_000, join(dir, 'b.tgz'));
    expect(b).toEqual(a);
    const c = await writeLayer(entries, 1_700_000_001, join(dir, 'c.tgz'));
    expect(c.digest).not.toBe(a.digest);
  });

  it('lists parents first, sorted, with numeric owners at the given time (GNU tar reads it)', async () => {
    await writeLayer(entries, 1_700_000_000, join(dir, 'd.tgz'));
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvzf', join(dir, 'd.tgz')], {
      encoding: 'utf8',
      env: { TZ: 'UTC' },
    })
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/))
      .map((f) => `${f[0]} ${f[1]} ${f[3]} ${f[4]} ${f.slice(5).join(' ')}`);
    expect(listing).toEqual([
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 etc/',
      '-rw-r--r-- 0/0 2023-11-14 22:13:20 etc/passwd',
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 home/',
      'drwx------ 65532/65532 2023-11-14 22:13:20 home/nonroot/',
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 lib64/',
      'lrwxrwxrwx 0/0 2023-11-14 22:13:20 lib64/ld.so -> /lib/x/ld.so',
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 usr/',
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 usr/local/',
      'drwxr-xr-x 0/0 2023-11-14 22:13:20 usr/local/bin/',
      '-rwxr-xr-x 0/0 2023-11-14 22:13:20 usr/local/bin/node',
    ]);
  });

  it('refuses a path that is absolute or climbs out', async () => {
    for (const path of ['/etc/passwd', '../x', 'a//b', 'a/./b'])
      await expect(
        writeLayer([{ path, type: 'file', mode: 0o644, content: Buffer.from('x') }], 0, join(dir, 'e.tgz')),
      ).rejects.toThrow(/not a clean relative path/);
  });
});
