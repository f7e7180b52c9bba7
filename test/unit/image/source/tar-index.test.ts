import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { indexTar } from '../../../../core/image/source/tar-index.js';
import { tarOf } from '../layers/tar-layer.js';

const dir = mkdtempSync(join(tmpdir(), 'seco-tar-index-'));
const write = (name: string, bytes: Buffer) => {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
};
const longName = `blobs/sha256/${'d'.repeat(64)}/${'n'.repeat(120)}`;

describe('indexTar', () => {
  it('finds each regular file as a byte range, including PAX long names, without reading contents', async () => {
    const path = write(
      'a.tar',
      await tarOf([
        { name: './index.json', content: '{"x":1}' },
        { name: 'blobs/', type: 'directory' },
        { name: longName, content: Buffer.alloc(3000, 0x41) },
        { name: 'link', type: 'symlink', linkname: 'index.json' },
      ]),
    );
    const index = await indexTar(path);
    expect([...index.keys()].sort()).toEqual([longName, 'index.json'].sort());
    const file = readFileSync(path);
    const entry = index.get('index.json')!;
    expect(file.subarray(entry.offset, entry.offset + entry.size).toString()).toBe('{"x":1}');
    expect(index.get(longName)!.size).toBe(3000);
  });

  it('refuses a header with a bad checksum, naming the archive and offset', async () => {
    const bytes = await tarOf([
      { name: 'a', content: 'x' },
      { name: 'b', content: 'y' },
    ]);
    bytes.fill(0x39, 1024 + 148, 1024 + 154);
    const path = write('bad.tar', bytes);
    await expect(indexTar(path)).rejects.toThrow(`${path} at byte 1024: malformed tar header (bad checksum)`);
  });

  it('refuses an entry that runs past the end of the file', async () => {
    const bytes = await tarOf([{ name: 'a', content: Buffer.alloc(4000) }]);
    const path = write('cut.tar', bytes.subarray(0, 2048));
    await expect(indexTar(path)).rejects.toThrow(/runs past the end of the archive \(truncated\?\)/);
  });

  it('skips entries that would climb out of the archive root', async () => {
    const path = write(
      'evil.tar',
      await tarOf([
        { name: '../../x', content: '1' },
        { name: 'ok', content: '2' },
      ]),
    );
    expect([...(await indexTar(path)).keys()]).toEqual(['ok']);
  });
});
