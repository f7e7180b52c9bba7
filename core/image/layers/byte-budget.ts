import { Transform } from 'node:stream';

/** The image-wide count of decompressed bytes, shared by the layers of one walk. */
export interface ImageBudget {
  used: number;
  readonly max: number;
}

/** Counts decompressed bytes and fails — naming the cap — past the layer's or the image's (bomb defence). */
export function byteBudget(maxLayer: number, image: ImageBudget): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: string, callback: (error?: Error | null, data?: Buffer) => void) {
      total += chunk.length;
      image.used += chunk.length;
      if (total > maxLayer)
        return callback(
          new Error(`decompresses past the ${maxLayer}-byte layer limit (decompression bomb?)`),
        );
      if (image.used > image.max)
        return callback(
          new Error(`the image decompresses past the ${image.max}-byte image limit (decompression bomb?)`),
        );
      callback(null, chunk);
    },
  });
}
