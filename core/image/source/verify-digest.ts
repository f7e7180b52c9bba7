import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkDigest } from './image-source.js';

type Done = (error?: Error | null, data?: Buffer) => void;

/**
 * A stream that passes a blob through while hashing it, and fails — naming the blob — when the bytes
 * do not hash to `expected`, or (when `size` is known) when there are more or fewer bytes than the
 * descriptor says. A longer blob fails as soon as it passes the size, so an endless body cannot run on.
 */
export function verifyingDigest(expected: string, source: Readable, size?: number): Readable {
  const [algorithm, hex] = checkDigest(expected).split(':') as [string, string];
  const hash = createHash(algorithm);
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding: string, callback: Done) {
      seen += chunk.length;
      if (size !== undefined && size > 0 && seen > size)
        return callback(new Error(`blob ${expected} is longer than its ${size}-byte descriptor`));
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: Done) {
      if (size !== undefined && size > 0 && seen < size)
        return callback(new Error(`blob ${expected} is truncated: ${seen} of ${size} bytes`));
      const actual = hash.digest('hex');
      callback(
        actual === hex
          ? null
          : new Error(`blob ${expected} does not match its digest (got ${algorithm}:${actual})`),
      );
    },
  });
  // pipeline (not pipe) so a source error reaches the reader instead of leaving it hanging.
  pipeline(source, check).catch(() => {});
  return check;
}

/** Reads a small blob whole through the verifier, refusing more than `max` bytes. */
export async function readVerified(
  expected: string,
  source: Readable,
  max: number,
  size?: number,
): Promise<Buffer> {
  if (size !== undefined && size > max) {
    source.destroy();
    throw new Error(`blob ${expected} is ${size} bytes, over the ${max}-byte limit for metadata`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of verifyingDigest(expected, source, size)) {
    total += (chunk as Buffer).length;
    if (total > max) {
      source.destroy();
      throw new Error(`blob ${expected} is over the ${max}-byte limit for metadata`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
