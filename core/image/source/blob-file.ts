import type { Readable } from 'node:stream';
import type { BlobFile } from '../layers/entry.js';
import { openRange } from './blob-store.js';
import { verifyingDigest } from './verify-digest.js';

/** A blob read straight from its file, verified against its digest (and expected size) as it streams. */
export function openBlobFile(file: BlobFile, digest: string): Readable {
  return verifyingDigest(digest, openRange(file.path, file.start, file.size), file.expectedSize);
}
