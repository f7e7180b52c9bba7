import { open } from 'node:fs/promises';
import { imagePath } from '../layers/safe-path.js';
import {
  BLOCK,
  checksumOk,
  MAX_META_BYTES,
  numericField,
  paxRecords,
  textField,
  ustarName,
} from '../tar/tar-header.js';

/** Where a regular file's bytes sit inside a tar archive. */
export interface TarEntry {
  offset: number;
  size: number;
}

const MAX_ENTRIES = 1_000_000;

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
      const size = pax.has('size') ? Number(pax.get('size')) : numericField(block, 124, 12);
      if (size === undefined) throw new Error(`${where}: malformed tar header (size field)`);
      const dataAt = offset + BLOCK;
      if (!Number.isSafeInteger(size) || size < 0 || dataAt + size > fileSize)
        throw new Error(`${where}: entry runs past the end of the archive (truncated?)`);
      offset = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'x' || type === 'L') {
        if (size > MAX_META_BYTES) throw new Error(`${where}: ${size}-byte extended header`);
        const data = Buffer.alloc(size);
        await file.read(data, 0, size, dataAt);
        if (type === 'x') pax = paxRecords(data);
        else longName = textField(data, 0, size);
        continue;
      }
      if (type === 'g' || type === 'K') continue; // global PAX defaults, GNU long link names
      const raw = pax.get('path') ?? longName ?? ustarName(block);
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
