import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkPrefix, InvalidObjectKeyError } from '../object-key.js';
import type { ObjectInfo, ObjectStore } from '../object-store.js';
import { byteOrder, checkInsideRoot, objectPath, TEMP_DIR } from './fs-paths.js';

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const isAbsent = (error: unknown) => ABSENT.has((error as NodeJS.ErrnoException).code ?? '');

/**
 * Objects as files under a root directory, for local mode: a key's segments are its path. Writes land whole
 * (temp file flushed, then renamed into place), so a reader sees the old object or the new, never half.
 * One difference from S3: a key cannot also be a "folder" of other keys (`a` and `a/b`); such a put is
 * refused with a clear error. Content types are not kept.
 */
export class FsObjectStore implements ObjectStore {
  private readonly root: string;
  private realRoot?: Promise<string>;

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  private async resolved(key: string, forWrite: boolean): Promise<string> {
    const path = objectPath(this.root, key);
    this.realRoot ??= realpath(this.root);
    const dir = dirname(path);
    if (forWrite) await this.makeDir(dir, key);
    try {
      await checkInsideRoot(await this.realRoot, dir, key);
    } catch (error) {
      if (!isAbsent(error)) throw error; // the folder is not there: nothing to read through it
    }
    return path;
  }

  private async makeDir(dir: string, key: string): Promise<void> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR')
        throw new InvalidObjectKeyError(key, 'a prefix of it is already an object in the filesystem store');
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string | Readable): Promise<void> {
    const path = await this.resolved(key, true);
    const tempDir = join(this.root, TEMP_DIR);
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      if (body instanceof Readable) await pipeline(body, createWriteStream(temp, { flush: true }));
      else await writeFile(temp, body, { flush: true });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'EISDIR')
        throw new InvalidObjectKeyError(
          key,
          'it is already a prefix of other objects in the filesystem store',
        );
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(await this.resolved(key, false));
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async getStream(key: string): Promise<Readable | undefined> {
    const path = await this.resolved(key, false);
    if (!(await this.stat(key))) return undefined;
    return createReadStream(path);
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(await this.resolved(key, false));
      return info.isFile() ? { size: info.size, modified: info.mtime } : undefined;
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    yield* this.walk(this.root, '', checkPrefix(prefix));
  }

  /**
   * Depth first, one directory read at a time. Entries sort by name with `/` after folder names, which is
   * exactly the byte order of the keys they hold; folders that cannot hold the prefix are skipped.
   */
  private async *walk(dir: string, base: string, prefix: string): AsyncIterable<string> {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const named = entries
      .filter((e) => (e.isFile() || e.isDirectory()) && !(base === '' && e.name === TEMP_DIR))
      .map((e) => ({ entry: e, key: `${base}${e.name}${e.isDirectory() ? '/' : ''}` }))
      .sort((a, b) => byteOrder(a.key, b.key));
    for (const { entry, key } of named) {
      if (entry.isFile()) {
        if (key.startsWith(prefix)) yield key;
      } else if (key.startsWith(prefix) || prefix.startsWith(key)) {
        yield* this.walk(join(dir, entry.name), key, prefix); // symlinks are neither: never followed
      }
    }
  }

  async delete(key: string): Promise<void> {
    const path = await this.resolved(key, false);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return; // nothing there, or a folder of other keys: no object by that name
    await rm(path, { force: true });
    // S3 has no folders: drop the ones this delete emptied, up to the root.
    for (let dir = dirname(path); dir !== this.root; dir = dirname(dir)) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
  }
}
