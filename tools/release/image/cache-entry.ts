import { randomBytes } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Makes a cache entry (file or directory) once: built under a temporary name beside it, then renamed, so
 * a build that stops halfway, or a second build running at the same time, never sees it half made.
 */
export async function cacheEntry(target: string, make: (temp: string) => Promise<void>): Promise<string> {
  if (await exists(target)) return target;
  const temp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await make(temp);
    await rename(temp, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another build made it first: theirs is as good as ours.
      if (!(await exists(target))) throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return target;
}
