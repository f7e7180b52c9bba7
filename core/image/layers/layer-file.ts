import type { TarBody } from '../tar/tar-reader.js';
import type { EntryHeader } from './entry.js';
import { imagePath } from './safe-path.js';

/**
 * Collects an entry's content, refusing files over the cap (the tar reader then skips it unread). The
 * header gives the size: one buffer is filled as the chunks pass (executables of 100+ MiB are read
 * whole for their build info), and the tar reader yields exactly that many bytes or fails.
 */
export async function collect(body: TarBody, size: number, max: number, path: string): Promise<Buffer> {
  if (size > max) throw new Error(`${path} is ${size} bytes, over the ${max}-byte file limit`);
  const content = Buffer.allocUnsafe(size);
  let total = 0;
  for await (const chunk of body.chunks()) {
    chunk.copy(content, total);
    total += chunk.length;
  }
  return content;
}

/** A regular file's bytes, a hard link's target's bytes (same layer only), or an error saying why not. */
export function readContent(
  path: string,
  header: EntryHeader,
  body: TarBody,
  contents: Map<string, Promise<Buffer>>,
  max: number,
): Promise<Buffer> {
  if (header.type === 'file') {
    const content = collect(body, header.size, max, path);
    contents.set(path, content);
    return content;
  }
  if (header.type === 'link') {
    const target = header.linkname === undefined ? undefined : imagePath(header.linkname);
    const content = target === undefined ? undefined : contents.get(target);
    if (content) return content;
    return Promise.reject(new Error(`hard link ${path} → ${header.linkname}: target not read in this layer`));
  }
  return Promise.reject(
    new Error(
      `${path} is a ${header.type === 'symlink' ? 'symlink (links are never followed)' : 'special file'}`,
    ),
  );
}
