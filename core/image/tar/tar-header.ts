/**
 * Tar header fields (POSIX.1-2001 ustar and pax, GNU extensions), shared by the archive index
 * (source/tar-index.ts) and the layer reader (tar-reader.ts).
 */

export const BLOCK = 512;

/** A PAX or GNU long-name record; real ones are a few hundred bytes. */
export const MAX_META_BYTES = 1024 * 1024;

/** A NUL-terminated text field (a plain loop: fields are short, a native indexOf costs more per call). */
export function textField(block: Buffer, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && block[end] !== 0) end++;
  return block.toString('utf8', start, end);
}

/**
 * A numeric field: octal text (leading spaces or NULs allowed, ended by a space or NUL), or GNU
 * base-256 when the high bit of the first byte is set. Undefined when it is neither.
 */
export function numericField(block: Buffer, start: number, length: number): number | undefined {
  const first = block[start]!;
  if ((first & 0x80) !== 0) {
    // base-256, two's complement: a negative value (first byte 0xff) is never a valid size or id
    if (first === 0xff) return undefined;
    let value = first & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return Number.isSafeInteger(value) ? value : undefined;
  }
  let i = start;
  const end = start + length;
  while (i < end && (block[i] === 0x20 || block[i] === 0)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = block[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return undefined;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  for (; i < end; i++) if (block[i] !== 0x20 && block[i] !== 0) return undefined;
  return digits === 0 ? 0 : value;
}

/**
 * The header checksum (POSIX ustar "chksum"): the header's bytes summed with the checksum field read
 * as spaces. Like Go's archive/tar, both the unsigned sum and the signed one some old tars wrote pass.
 */
export function checksumOk(block: Buffer): boolean {
  const stored = numericField(block, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 8 * 32;
  let high = 0; // bytes over 127, counted for the signed sum
  for (let i = 0; i < 148; i++) {
    const b = block[i]!;
    unsigned += b;
    if (b > 127) high++;
  }
  for (let i = 156; i < BLOCK; i++) {
    const b = block[i]!;
    unsigned += b;
    if (b > 127) high++;
  }
  return stored === unsigned || stored === unsigned - 256 * high;
}

/** A block of zeros: the end-of-archive marker is two of them. */
export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** PAX extended header records (`LEN key=value\n`, POSIX pax "Extended Header"). */
export function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number.parseInt(data.subarray(at, space).toString('ascii'), 10);
    if (space < 0 || !Number.isSafeInteger(length) || length <= 0 || at + length > data.length) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

/** The ustar name: `prefix/name` when the header is POSIX ustar and has a prefix (GNU's has none). */
export function ustarName(block: Buffer): string {
  const name = textField(block, 0, 100);
  const ustar =
    block[257] === 0x75 &&
    block[258] === 0x73 &&
    block[259] === 0x74 &&
    block[260] === 0x61 &&
    block[261] === 0x72 &&
    block[262] === 0;
  return ustar && block[345] ? `${textField(block, 345, 155)}/${name}` : name;
}
