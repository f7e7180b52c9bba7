import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';

/**
 * Output chunk of the decompressors. zlib's 16 KiB default makes each 16 KiB of tar a round trip between
 * the thread pool and JavaScript (processCallback, a Buffer, a tar parse step): at 1 MiB a 1 GiB image
 * inflated in about half the time (docs/benchmarks.md).
 */
const INFLATE_CHUNK = 1024 * 1024;

/** Reads the first bytes of a stream without consuming them. */
async function peek(raw: Readable): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const cleanup = () => {
      raw.off('readable', onReadable);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    const onReadable = () => {
      const chunk = raw.read() as Buffer | null;
      if (!chunk) return;
      cleanup();
      raw.unshift(chunk);
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    raw.on('readable', onReadable);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
}

/**
 * The decompressor a layer needs, from its magic bytes rather than its media type (registries and
 * archives mislabel): gzip (RFC 1952), zstd (RFC 8878) with Node's own decoder when it has one
 * (Node ≥ 22.15), or none for a plain tar. Other formats are refused by name.
 */
export async function decompressorFor(raw: Readable): Promise<Transform | undefined> {
  const first = await peek(raw);
  if (first[0] === 0x1f && first[1] === 0x8b) return zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
  if (first.length >= 4 && first.readUInt32LE(0) === 0xfd2fb528) {
    const zstd = (zlib as unknown as { createZstdDecompress?: (o: zlib.ZlibOptions) => Transform })
      .createZstdDecompress;
    if (!zstd)
      throw new Error(
        `zstd-compressed layer: this Node.js (${process.version}) has no zstd decoder (Node ≥ 22.15 has)`,
      );
    return zstd({ chunkSize: INFLATE_CHUNK });
  }
  if (first.subarray(0, 3).toString('latin1') === 'BZh')
    throw new Error('bzip2-compressed layers are not supported');
  if (first.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))
    throw new Error('xz-compressed layers are not supported');
  return undefined;
}
