import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { checkKey, InvalidObjectKeyError } from '../object-key.js';

/** Where half-written objects wait for their rename; never a key's first segment, never listed. */
export const TEMP_DIR = '.seco-tmp';
// Linux (ext4, xfs) caps one path component at 255 bytes (NAME_MAX).
const NAME_MAX = 255;

/** The file a key names: segments joined under the root, checked to stay inside it. */
export function objectPath(root: string, key: string): string {
  const segments = checkKey(key).split('/');
  if (segments[0] === TEMP_DIR)
    throw new InvalidObjectKeyError(key, `"${TEMP_DIR}" is reserved by the filesystem store`);
  if (segments.some((s) => Buffer.byteLength(s, 'utf8') > NAME_MAX))
    throw new InvalidObjectKeyError(key, `a path segment is longer than ${NAME_MAX} bytes`);
  const path = resolve(root, ...segments);
  if (!path.startsWith(root + sep)) throw new InvalidObjectKeyError(key, 'resolves outside the store root');
  return path;
}

/**
 * Refuses a directory that symlinks lead out of the root: checkKey stops `..`, this stops a link someone
 * placed inside the root. `dir` must exist.
 */
export async function checkInsideRoot(realRoot: string, dir: string, key: string): Promise<void> {
  const real = await realpath(dir);
  if (real !== realRoot && !real.startsWith(realRoot + sep))
    throw new InvalidObjectKeyError(
      key,
      `resolves through a symbolic link to ${real}, outside the store root`,
    );
}

/** Byte order of UTF-8 names, as S3 lists keys. */
export const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
