import { open } from 'node:fs/promises';
import { imagePath } from '../layers/safe-path.js';

/** Where a regular file's bytes sit inside a tar archive. */
export interface TarEntry {
  offset: number;
  size: number;
}

const BLOCK = 512;
const MAX_ENTRIES = 1_000_000;
const MAX_META_BYTES = 1024 * 1024; // a PAX or GNU long-name record; real ones are tiny

const text = (block: Buffer, start: number, length: number) => {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('utf8');
};

/** A numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numeric(block: Buffer, start: number, length: number, what: string): number {
  const field = block.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    if (!Number.isSafeInteger(value)) throw new Error(`${what}: size field out of range`);
    return value;
  }
  const digits = text(block, start, length).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw new Error(`${what}: malformed numeric field ${JSON.stringify(digits)}`);
  return Number.parseInt(digits, 8);
}

/** POSIX ustar checksum: the header's bytes summed with the checksum field read as spaces. */
function checksumOk(block: Buffer): boolean {
  const stored = Number.parseInt(text(block, 148, 8).trim() || 'x', 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return stored === sum;
}

/** PAX extended header records (`LEN key=value\n`, POSIX pax "Extended Header"): only path and size matter here. */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number.parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (space < 0 || !Number.isSafeInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/**
 * Indexes a tar archive's regular files by reading only its headers (seeking over the contents), so
 * an OCI or docker-save archive is read in place: afterwards each blob is one byte range of the file.
 * Handles ustar prefixes, PAX `path`/`size` and GNU long names; a bad checksum or a header past the
 * end of the file is an error naming the archive and offset.
 */
export async function indexTar(archive: string): Promise<Map<string, TarEntry>> {
  const file = await open(archive, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const entries = new Map<string, TarEntry>();
    const block = Buffer.alloc(BLOCK);
    let offset = 0;
    let longName: string | undefined;
    let pax = new Map<string, string>();
    for (let count = 0; offset + BLOCK <= fileSize; count++) {
      if (count > MAX_ENTRIES) throw new Error(`${archive}: more than ${MAX_ENTRIES} tar entries`);
      await file.read(block, 0, BLOCK, offset);
      if (block.every((b) => b === 0)) break; // end-of-archive marker
      const where = `${archive} at byte ${offset}`;
      if (!checksumOk(block)) throw new Error(`${where}: malformed tar header (bad checksum)`);
      const type = String.fromCharCode(block[156]!);
      const size = Number(pax.get('size') ?? numeric(block, 124, 12, where));
      const dataAt = offset + BLOCK;
      if (!Number.isSafeInteger(size) || size < 0 || dataAt + size > fileSize)
        throw new Error(`${where}: entry runs past the end of the archive (truncated?)`);
      offset = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'x' || type === 'L') {
        if (size > MAX_META_BYTES) throw new Error(`${where}: ${size}-byte extended header`);
        const data = Buffer.alloc(size);
        await file.read(data, 0, size, dataAt);
        if (type === 'x') pax = paxRecords(data);
        else longName = text(data, 0, size);
        continue;
      }
      if (type === 'g' || type === 'K') continue; // global PAX defaults, GNU long link names
      const ustar = block.subarray(257, 263).toString('latin1') === 'ustar\0';
      const raw =
        pax.get('path') ??
        longName ??
        (ustar && block[345] ? `${text(block, 345, 155)}/` : '') + text(block, 0, 100);
      pax = new Map();
      longName = undefined;
      const path = imagePath(raw);
      if ((type === '0' || type === '\0' || type === '7') && path)
        entries.set(path, { offset: dataAt, size });
    }
    return entries;
  } finally {
    await file.close();
  }
}
