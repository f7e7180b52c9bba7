import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { type TarHeader, TarReader } from '../../../../core/image/tar/tar-reader.js';
import { tarOf } from '../layers/tar-layer.js';

interface Read {
  header: Omit<TarHeader, 'offset' | 'mode' | 'uid' | 'gid'>;
  content?: string;
}

/** Reads a whole archive handed over in chunks of `chunk` bytes, reading the content of files named in `read`. */
async function readAll(bytes: Buffer, chunk: number, read: (h: TarHeader) => boolean = () => true) {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) pieces.push(bytes.subarray(at, at + chunk));
  let pulled = 0;
  async function* source() {
    for (const piece of pieces) {
      pulled++;
      yield piece;
    }
  }
  const tar = new TarReader(source());
  const out: Read[] = [];
  for (let entry = await tar.next(); entry; entry = await tar.next()) {
    const { offset: _o, mode: _m, uid: _u, gid: _g, ...header } = entry.header;
    if (entry.header.type !== 'file' || !read(entry.header)) {
      out.push({ header });
      continue;
    }
    const parts: Buffer[] = [];
    for await (const part of entry.body.chunks()) parts.push(Buffer.from(part));
    out.push({ header, content: Buffer.concat(parts).toString('latin1') });
  }
  return { out, pulledAll: pulled === pieces.length };
}

const dir = mkdtempSync(join(tmpdir(), 'seco-tar-reader-'));
const longDir = `deep/${'d'.repeat(90)}/${'e'.repeat(90)}`;
const longFile = `${longDir}/${'f'.repeat(120)}.txt`;
const big = 'x'.repeat(70_000);

const written = new Map<string, Buffer>();

/** A tree with a long path, a long link target, a hard link, a directory and a big file, as GNU tar writes it. */
function gnuTar(format: 'gnu' | 'pax'): Buffer {
  const cached = written.get(format);
  if (cached) return cached;
  const root = join(dir, format);
  mkdirSync(join(root, longDir), { recursive: true });
  writeFileSync(join(root, longFile), 'long');
  writeFileSync(join(root, 'big.bin'), big);
  linkSync(join(root, 'big.bin'), join(root, 'hard.bin'));
  symlinkSync(longFile, join(root, 'sym'));
  const out = join(dir, `${format}.tar`);
  execFileSync('tar', [
    `--format=${format}`,
    '--sort=name',
    '-cf',
    out,
    '-C',
    root,
    'big.bin',
    'deep',
    'hard.bin',
    'sym',
  ]);
  written.set(format, readFileSync(out));
  return written.get(format)!;
}

describe('TarReader on archives written by GNU tar', () => {
  for (const format of ['gnu', 'pax'] as const)
    it(`reads ${format} headers: long names and link targets, hard links, directories, content`, async () => {
      const bytes = gnuTar(format);
      const whole = await readAll(bytes, bytes.length);
      expect(whole.pulledAll).toBe(true);
      const names = whole.out.map((e) => `${e.header.type} ${e.header.name}`);
      expect(names).toEqual([
        'file big.bin',
        'directory deep/',
        `directory deep/${'d'.repeat(90)}/`,
        `directory ${longDir}/`,
        `file ${longFile}`,
        'link hard.bin',
        'symlink sym',
      ]);
      expect(whole.out[0]!.content).toBe(big);
      expect(whole.out[4]!.content).toBe('long');
      expect(whole.out[5]!.header.linkname).toBe('big.bin');
      expect(whole.out[6]!.header.linkname).toBe(longFile);
      // Headers and content split across chunks at every odd place give the same entries.
      for (const chunk of [1, 7, 511, 513, 4096])
        expect((await readAll(bytes, chunk)).out).toEqual(whole.out);
    });

  it('reads a ustar prefix/name split', async () => {
    const root = join(dir, 'ustar');
    mkdirSync(join(root, longDir), { recursive: true });
    writeFileSync(join(root, longDir, 'n.txt'), 'n');
    const out = join(dir, 'ustar.tar');
    execFileSync('tar', ['--format=ustar', '-cf', out, '-C', root, `${longDir}/n.txt`]);
    const bytes = readFileSync(out);
    expect(bytes.subarray(345, 350).toString('latin1')).toBe('deep/'); // the prefix field is used
    const { out: read } = await readAll(bytes, 1000);
    expect(read).toEqual([{ header: { name: `${longDir}/n.txt`, type: 'file', size: 1 }, content: 'n' }]);
  });

  it('skips content nobody reads without reading it, and reads the rest in order', async () => {
    const bytes = gnuTar('pax');
    const { out } = await readAll(bytes, 333, (h) => h.name.endsWith('.txt'));
    expect(out.filter((e) => e.content !== undefined).map((e) => e.content)).toEqual(['long']);
  });
});

describe('TarReader on damaged archives', () => {
  it('ends at two zero blocks and reads (and drops) what follows, so the whole blob is read', async () => {
    const bytes = Buffer.concat([await tarOf([{ name: 'a', content: 'x' }]), Buffer.alloc(10_240, 0x61)]);
    const { out, pulledAll } = await readAll(bytes, 1024);
    expect(out.map((e) => e.header.name)).toEqual(['a']);
    expect(pulledAll).toBe(true);
  });

  it('refuses a header after a single zero block (as Go archive/tar does)', async () => {
    const one = await tarOf([{ name: 'a', content: 'x' }]);
    const hidden = (await tarOf([{ name: 'hidden', content: 'y' }])).subarray(0, 1024);
    const bytes = Buffer.concat([one.subarray(0, 1024), Buffer.alloc(512), hidden]);
    await expect(readAll(bytes, 4096)).rejects.toThrow(
      'malformed tar header at byte 1536 (a header after a zero block)',
    );
  });

  it('names a bad checksum and a malformed size field with their offsets', async () => {
    const bytes = await tarOf([
      { name: 'a', content: 'x' },
      { name: 'b', content: 'y' },
    ]);
    const badSum = Buffer.from(bytes);
    badSum.fill(0x7a, 1024 + 148, 1024 + 156);
    await expect(readAll(badSum, 100)).rejects.toThrow('malformed tar header at byte 1024 (bad checksum)');
  });

  it('names where a truncated archive ends: inside a header, inside content', async () => {
    const bytes = await tarOf([{ name: 'a', content: Buffer.alloc(5000, 0x63) }]);
    await expect(readAll(bytes.subarray(0, 300), 100)).rejects.toThrow(
      'truncated tar stream (ends inside a header at byte 300)',
    );
    await expect(readAll(bytes.subarray(0, 2048), 100)).rejects.toThrow(
      'truncated tar stream (ends inside "a" at byte 2048)',
    );
    await expect(readAll(bytes.subarray(0, 2048), 100, () => false)).rejects.toThrow(
      'truncated tar stream (ends inside entry content at byte 2048)',
    );
  });

  it('accepts the signed header checksum some old tars wrote (as Go archive/tar does)', async () => {
    const bytes = await tarOf([{ name: 'caf\u00e9', content: 'x' }]);
    const header = bytes.subarray(0, 512);
    header.fill(0x20, 148, 156);
    let signed = 0;
    for (const b of header) signed += b > 127 ? b - 256 : b;
    header.write(`${signed.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const { out } = await readAll(bytes, 512);
    expect(out).toEqual([{ header: { name: 'caf\u00e9', type: 'file', size: 1 }, content: 'x' }]);
  });

  it('refuses an absurd extended header instead of buffering it', async () => {
    const bytes = await tarOf([{ name: 'a', content: 'x' }]);
    const header = Buffer.from(bytes.subarray(0, 512));
    header[156] = 'x'.charCodeAt(0);
    header.write('77777777777\0', 124, 'latin1'); // 8 GiB of PAX records
    header.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    await expect(readAll(header, 512)).rejects.toThrow(
      /^malformed tar header at byte 0 \(8589934591-byte extended header\)$/,
    );
  });

  it('keeps failing once its source failed (an analyzer may swallow the first error)', async () => {
    const bytes = await tarOf([{ name: 'a', content: Buffer.alloc(5000) }]);
    async function* failing() {
      yield bytes.subarray(0, 1024);
      throw new Error('decompresses past the cap');
    }
    const tar = new TarReader(failing());
    const entry = await tar.next();
    const read = async () => {
      for await (const _ of entry!.body.chunks());
    };
    await expect(read()).rejects.toThrow('decompresses past the cap');
    await expect(tar.next()).rejects.toThrow('decompresses past the cap');
  });

  it('refuses to read an entry’s content once the next entry was asked for', async () => {
    const bytes = await tarOf([
      { name: 'a', content: 'x' },
      { name: 'b', content: 'y' },
    ]);
    async function* one() {
      yield bytes;
    }
    const tar = new TarReader(one());
    const first = await tar.next();
    await tar.next();
    const late = async () => {
      for await (const _ of first!.body.chunks());
    };
    await expect(late()).rejects.toThrow('a: content read after the next entry');
  });
});
