/** The tags of an RPM header that name a package (rpm's lib/rpmtag.h). */
export const RPMTAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_I18NSTRING = 9;
const MAX_ENTRIES = 100_000;

export type HeaderValues = Map<number, string | number>;

/**
 * Reads an RPM header blob as the rpmdb stores it (no lead, no magic): index length and data length,
 * the index entries (tag, type, offset, count, big-endian), then the data store. Only the tags asked
 * for are decoded; anything out of bounds is an error naming the problem.
 */
export function parseRpmHeader(blob: Uint8Array, wanted: readonly number[]): HeaderValues {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob.byteLength < 8) throw new Error('rpm header too short');
  const entries = view.getUint32(0);
  const dataLength = view.getUint32(4);
  const dataStart = 8 + entries * 16;
  if (entries > MAX_ENTRIES || dataStart + dataLength > blob.byteLength)
    throw new Error('rpm header sizes out of bounds');
  const values: HeaderValues = new Map();
  for (let i = 0; i < entries; i++) {
    const at = 8 + i * 16;
    const tag = view.getUint32(at);
    if (!wanted.includes(tag)) continue;
    const type = view.getUint32(at + 4);
    const offset = view.getUint32(at + 8);
    if (offset >= dataLength) throw new Error(`rpm header tag ${tag} points outside the data`);
    const start = dataStart + offset;
    if (type === TYPE_INT32) values.set(tag, view.getInt32(start));
    else if (type === TYPE_STRING || type === TYPE_I18NSTRING) {
      const end = blob.indexOf(0, start);
      values.set(
        tag,
        Buffer.from(
          blob.subarray(start, end < 0 || end > dataStart + dataLength ? dataStart + dataLength : end),
        ).toString('utf8'),
      );
    }
  }
  return values;
}
