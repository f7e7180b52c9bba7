import { Transform } from 'node:stream';

/** The image-wide count of decompressed bytes, shared by the layers of one walk (and its worker threads). */
export interface ImageBudget {
  readonly max: number;
  /** Counts `bytes` more; returns the image's total so far. */
  add(bytes: number): number;
}

/**
 * A budget kept in shared memory, so layers inflated in several worker threads count against one cap:
 * each thread passes the same `SharedArrayBuffer` (8 bytes) and adds atomically.
 */
export function sharedImageBudget(
  max: number,
  shared = new SharedArrayBuffer(8),
): ImageBudget & {
  shared: SharedArrayBuffer;
} {
  const used = new BigInt64Array(shared);
  return {
    max,
    shared,
    add: (bytes) => Number(Atomics.add(used, 0, BigInt(bytes))) + bytes,
  };
}

/** Counts decompressed bytes and fails — naming the cap — past the layer's or the image's (bomb defence). */
export function byteBudget(maxLayer: number, image: ImageBudget): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: string, callback: (error?: Error | null, data?: Buffer) => void) {
      total += chunk.length;
      const imageTotal = image.add(chunk.length);
      if (total > maxLayer)
        return callback(
          new Error(`decompresses past the ${maxLayer}-byte layer limit (decompression bomb?)`),
        );
      if (imageTotal > image.max)
        return callback(
          new Error(`the image decompresses past the ${image.max}-byte image limit (decompression bomb?)`),
        );
      callback(null, chunk);
    },
  });
}
