import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { imagePath } from '../layers/safe-path.js';
import { indexTar, type TarEntry } from './tar-index.js';

/** The files of an image layout or archive, by their path inside it. */
export interface BlobStore {
  /** Names the store in messages. */
  readonly where: string;
  /** The file's size, or undefined when it is absent. */
  size(name: string): Promise<number | undefined>;
  open(name: string): Promise<Readable>;
  /** Where the file's bytes sit on disk, so another thread can read them itself. */
  locate(name: string): Promise<{ path: string; start: number; size: number } | undefined>;
}

/** Big reads: a layer is read whole, and each chunk is one round of inflate and tar walking. */
export const BLOB_READ_CHUNK = 1024 * 1024;

function safeName(name: string, where: string): string {
  const safe = imagePath(name);
  if (safe === undefined || safe === '') throw new Error(`invalid path ${JSON.stringify(name)} in ${where}`);
  return safe;
}

/** A directory (OCI image layout). Names are normalised so none leaves the directory. */
export function directoryStore(root: string): BlobStore {
  const pathOf = (name: string) => join(root, safeName(name, root));
  const size = async (name: string) => {
    const info = await stat(pathOf(name)).catch(() => undefined);
    return info?.isFile() ? info.size : undefined;
  };
  return {
    where: root,
    size,
    async open(name) {
      if ((await size(name)) === undefined) throw new Error(`${name} not found in ${root}`);
      return createReadStream(pathOf(name), { highWaterMark: BLOB_READ_CHUNK });
    },
    async locate(name) {
      const bytes = await size(name);
      return bytes === undefined ? undefined : { path: pathOf(name), start: 0, size: bytes };
    },
  };
}

/**
 * A tar archive (OCI archive, docker save) read in place: its headers are indexed once, then each file
 * is streamed as a byte range of the archive — nothing is extracted to disk.
 */
export function tarStore(archive: string): BlobStore {
  let index: Promise<Map<string, TarEntry>> | undefined;
  const entry = async (name: string) => {
    index ??= indexTar(archive);
    return (await index).get(safeName(name, archive));
  };
  return {
    where: archive,
    size: async (name) => (await entry(name))?.size,
    async open(name) {
      const found = await entry(name);
      if (!found) throw new Error(`${name} not found in ${archive}`);
      return openRange(archive, found.offset, found.size);
    },
    async locate(name) {
      const found = await entry(name);
      return found && { path: archive, start: found.offset, size: found.size };
    },
  };
}

/** `size` bytes of a file from `start`, streamed in big chunks. */
export function openRange(path: string, start: number, size: number): Readable {
  if (size === 0) return Readable.from([]);
  return createReadStream(path, { start, end: start + size - 1, highWaterMark: BLOB_READ_CHUNK });
}

/** Reads a whole small file from a store, refusing more than `max` bytes. */
export async function readSmall(store: BlobStore, name: string, max: number): Promise<Buffer> {
  const size = await store.size(name);
  if (size === undefined) throw new Error(`${name} not found in ${store.where}`);
  if (size > max) throw new Error(`${name} in ${store.where} is ${size} bytes, over the ${max}-byte limit`);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.open(name)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
