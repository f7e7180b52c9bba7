/** A key the store refuses, with the reason: keys derive from scan ids, node names and digests. */
export class InvalidObjectKeyError extends Error {
  constructor(
    readonly key: unknown,
    why: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${why}`);
    this.name = 'InvalidObjectKeyError';
  }
}

// S3 caps keys at 1024 bytes of UTF-8 (AWS S3 User Guide, "Naming Amazon S3 objects").
const MAX_KEY_BYTES = 1024;
// C0 controls, DEL and C1 controls: invisible in logs, and some S3 servers reject them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function why(key: string, isPrefix: boolean): string | undefined {
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (CONTROL.test(key)) return 'holds a control character';
  if (key.startsWith('/')) return 'starts with "/"';
  if (key.includes('\\')) return 'holds a backslash';
  if (LONE_SURROGATE.test(key)) return 'holds a lone UTF-16 surrogate (not encodable as UTF-8)';
  const segments = key.split('/');
  if (isPrefix && segments.at(-1) === '') segments.pop(); // "scans/s1/" lists a folder
  if (segments.some((s) => s === '')) return 'has an empty path segment';
  if (segments.some((s) => s === '.' || s === '..')) return 'has a "." or ".." path segment';
  return undefined;
}

/** A key to read or write: non-empty, no `.`/`..` segments, no leading or doubled `/`, no controls. */
export function checkKey(key: unknown): string {
  if (typeof key !== 'string' || key === '')
    throw new InvalidObjectKeyError(key, 'must be a non-empty string');
  const reason = why(key, false);
  if (reason) throw new InvalidObjectKeyError(key, reason);
  return key;
}

/** A listing prefix: empty (everything), a folder (`scans/s1/`) or the start of keys (`scans/s1/jobs/j`). */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') throw new InvalidObjectKeyError(prefix, 'prefix must be a string');
  if (prefix === '') return prefix;
  const reason = why(prefix, true);
  if (reason) throw new InvalidObjectKeyError(prefix, `as a prefix, ${reason}`);
  return prefix;
}
