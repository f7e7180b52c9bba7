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

/**
 * The decompressed chunks of one layer, counted: fails — naming the cap — past the layer's or the
 * image's (bomb defence), before the chunk over the cap is handed on.
 */
export async function* budgetedChunks(
  chunks: AsyncIterable<Buffer>,
  maxLayer: number,
  image: ImageBudget,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    const imageTotal = image.add(chunk.length);
    if (total > maxLayer)
      throw new Error(`decompresses past the ${maxLayer}-byte layer limit (decompression bomb?)`);
    if (imageTotal > image.max)
      throw new Error(`the image decompresses past the ${image.max}-byte image limit (decompression bomb?)`);
    yield chunk;
  }
}
