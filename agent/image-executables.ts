import { hostPlatform } from '../core/image/source/host-platform.js';
import { storedExecutables } from '../core/image/stored-executables.js';
import type { ObjectStore } from '../core/store/object-store.js';

export type ImageFilesLookup = (image: string) => Promise<ReadonlySet<string> | undefined>;

export interface ImageExecutablesOptions {
  /** Digests remembered at once; the oldest used is dropped first. */
  maxEntries?: number;
  /** How long "no SBOM stored" (or a failed read) is believed: the image may be scanned meanwhile. */
  negativeTtlMs?: number;
  now?: () => number;
}

// A kubelet imageID (`docker-pullable://repo@sha256:…`, `repo@sha256:…`): the repo digest of the
// manifest pulled. A bare `sha256:…` is the runtime's local config id, not a manifest digest, so it
// cannot name a stored SBOM and is not looked up.
const MANIFEST_DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** The manifest digest in a kubelet image id, or undefined when it names none. */
export function imageIdDigest(imageId: string): string | undefined {
  return MANIFEST_DIGEST.exec(imageId)?.[1];
}

interface Entry {
  files: Promise<ReadonlySet<string> | undefined>;
  /** When a negative answer stops being believed; Infinity for a found list (a digest's content never changes). */
  expires: number;
}

/**
 * The watcher's `imageFiles` over the agent's object store: the executables the image scan recorded in
 * the SBOM of the container's image digest. It is asked on every exec, so answers are cached per digest
 * (the promise itself, so a burst of execs reads the store once). It never throws: the drift rule then
 * only judges temp-directory execs, which is what it does for any image not scanned yet.
 */
export function imageExecutablesLookup(
  store: ObjectStore,
  log: (line: string) => void,
  options: ImageExecutablesOptions = {},
): ImageFilesLookup {
  const maxEntries = options.maxEntries ?? 64;
  const negativeTtlMs = options.negativeTtlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  let errorLogged = false;
  const read = (digest: string, entry: Entry) =>
    storedExecutables(store, digest, hostPlatform()).then(
      (files) => {
        if (files) entry.expires = Number.POSITIVE_INFINITY;
        return files;
      },
      (error: Error) => {
        // Logged once: with the store down, every exec of every container would log otherwise.
        if (!errorLogged)
          log(`image executables not read (drift checks temp directories only): ${error.message}`);
        errorLogged = true;
        return undefined;
      },
    );
  return (image) => {
    const digest = imageIdDigest(image);
    if (!digest) return Promise.resolve(undefined);
    const hit = cache.get(digest);
    cache.delete(digest); // re-inserted below: Map order is then least recently used first
    if (hit && hit.expires > now()) {
      cache.set(digest, hit);
      return hit.files;
    }
    const entry: Entry = { files: Promise.resolve(undefined), expires: now() + negativeTtlMs };
    entry.files = read(digest, entry);
    cache.set(digest, entry);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
    return entry.files;
  };
}
