import type { Readable } from 'node:stream';
import type { EntryHeader } from './entry.js';
import { imagePath } from './safe-path.js';

/** Collects an entry's content, refusing files over the cap (the entry is then drained unread). */
export async function collect(stream: Readable, size: number, max: number, path: string): Promise<Buffer> {
  if (size > max) {
    await drain(stream);
    throw new Error(`${path} is ${size} bytes, over the ${max}-byte file limit`);
  }
  // The header gives the size: one buffer filled as the chunks pass, so the inflated chunks are not
  // held until a concat (executables of 100+ MiB are read whole for their build info).
  const content = Buffer.allocUnsafe(size);
  let total = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    if (total + bytes.length <= size) bytes.copy(content, total);
    total += bytes.length;
  }
  if (total > max) throw new Error(`${path} is over the ${max}-byte file limit`);
  if (total !== size) throw new Error(`${path} has ${total} bytes, its tar header says ${size}`);
  return content;
}

/** Reads an entry to its end without keeping anything. */
export function drain(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.readableEnded) return resolve();
    stream.on('end', () => resolve());
    stream.on('error', reject);
    stream.resume();
  });
}

/** A regular file's bytes, a hard link's target's bytes (same layer only), or an error saying why not. */
export function readContent(
  path: string,
  header: EntryHeader,
  stream: Readable,
  contents: Map<string, Promise<Buffer>>,
  max: number,
): Promise<Buffer> {
  if (header.type === 'file') {
    const content = collect(stream, header.size, max, path);
    contents.set(path, content);
    return content;
  }
  const done = drain(stream);
  if (header.type === 'link') {
    const target = header.linkname === undefined ? undefined : imagePath(header.linkname);
    const content = target === undefined ? undefined : contents.get(target);
    if (content) return done.then(() => content);
    return done.then(() =>
      Promise.reject(new Error(`hard link ${path} → ${header.linkname}: target not read in this layer`)),
    );
  }
  return done.then(() =>
    Promise.reject(
      new Error(
        `${path} is a ${header.type === 'symlink' ? 'symlink (links are never followed)' : 'special file'}`,
      ),
    ),
  );
}
