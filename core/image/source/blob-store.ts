import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { imagePath } from '../layers/safe-path.js';
import { MAX_JSON_BYTES } from './image-source.js';

/** Files of an image layout or archive, by their path inside it. */
export interface BlobStore {
  readJson(name: string): Promise<unknown>;
  open(name: string): Promise<Readable>;
}

async function readSmall(name: string, read: () => Promise<Buffer>): Promise<unknown> {
  const bytes = await read();
  if (bytes.length > MAX_JSON_BYTES) throw new Error(`${name} is larger than ${MAX_JSON_BYTES} bytes`);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

/** A directory (OCI image layout). Names are checked so none leaves the directory. */
export function directoryStore(root: string): BlobStore {
  const pathOf = (name: string) => {
    const safe = imagePath(name);
    if (safe === undefined || safe === '') throw new Error(`invalid path ${JSON.stringify(name)} in layout`);
    return join(root, safe);
  };
  return {
    async readJson(name) {
      const path = pathOf(name);
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new Error(`${name} not found in ${root}`);
      if (info.size > MAX_JSON_BYTES) throw new Error(`${name} is larger than ${MAX_JSON_BYTES} bytes`);
      return readSmall(name, () => readFile(path));
    },
    async open(name) {
      return createReadStream(pathOf(name));
    },
  };
}

/**
 * A tar archive (docker save, OCI archive) read in place: each request streams the archive from the
 * start to the entry, so nothing is extracted to disk and memory holds one small JSON at most.
 */
export function tarStore(archive: string): BlobStore {
  const find = (name: string) =>
    new Promise<Readable>((resolve, reject) => {
      const wanted = imagePath(name);
      const tar = extract();
      const input = createReadStream(archive);
      let found = false;
      tar.on('entry', (header, stream, next) => {
        if (!found && imagePath(header.name) === wanted && header.type === 'file') {
          found = true;
          // tar-stream hands out streamx streams; Node's pipeline wants a Node Readable.
          const readable = Readable.from(stream);
          readable.on('end', () => {
            input.destroy();
            tar.destroy();
          });
          resolve(readable);
          return;
        }
        stream.on('end', next);
        stream.resume();
      });
      tar.on('finish', () => {
        if (!found) reject(new Error(`${name} not found in ${archive}`));
      });
      tar.on('error', (e) => (found ? undefined : reject(e)));
      input.on('error', reject);
      input.pipe(tar);
    });
  return {
    readJson: (name) =>
      readSmall(name, async () => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of await find(name)) {
          size += (chunk as Buffer).length;
          if (size > MAX_JSON_BYTES) throw new Error(`${name} is larger than ${MAX_JSON_BYTES} bytes`);
          chunks.push(chunk as Buffer);
        }
        return Buffer.concat(chunks);
      }),
    open: find,
  };
}
