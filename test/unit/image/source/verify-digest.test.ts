import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { readVerified, verifyingDigest } from '../../../../core/image/source/verify-digest.js';

const bytes = Buffer.from('layer bytes '.repeat(1000));
const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const chunks = (b: Buffer) => Readable.from([b.subarray(0, 5000), b.subarray(5000)]);
const drain = async (stream: Readable) => {
  let n = 0;
  for await (const chunk of stream) n += (chunk as Buffer).length;
  return n;
};

describe('verifyingDigest', () => {
  it('passes matching bytes through unchanged', async () => {
    expect(await drain(verifyingDigest(digest, chunks(bytes), bytes.length))).toBe(bytes.length);
  });

  it('fails at the end when the bytes hash to something else, naming the blob', async () => {
    const other = Buffer.from(bytes);
    other[10] = 0;
    await expect(drain(verifyingDigest(digest, chunks(other)))).rejects.toThrow(
      `blob ${digest} does not match its digest`,
    );
  });

  it('fails as soon as a blob runs past its descriptor size, and on a short blob', async () => {
    await expect(drain(verifyingDigest(digest, chunks(bytes), 100))).rejects.toThrow(
      /longer than its 100-byte descriptor/,
    );
    await expect(drain(verifyingDigest(digest, chunks(bytes.subarray(0, 50)), bytes.length))).rejects.toThrow(
      `blob ${digest} is truncated: 50 of ${bytes.length} bytes`,
    );
  });

  it('passes a source error on to the reader', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(drain(verifyingDigest(digest, failing))).rejects.toThrow('connection reset');
  });

  it('refuses a malformed digest before reading', () => {
    expect(() => verifyingDigest('md5:abc', chunks(bytes))).toThrow(/invalid digest/);
  });
});

describe('readVerified', () => {
  it('refuses metadata blobs over the cap, declared or actual', async () => {
    await expect(readVerified(digest, chunks(bytes), 1000, bytes.length)).rejects.toThrow(
      /over the 1000-byte limit/,
    );
    await expect(readVerified(digest, chunks(bytes), 1000)).rejects.toThrow(/over the 1000-byte limit/);
    expect((await readVerified(digest, chunks(bytes), 1 << 20, bytes.length)).equals(bytes)).toBe(true);
  });
});
