import type { z } from 'zod';

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Decodes an untrusted message: size first (before parsing), then JSON, then the schema. The error
 * says which of the three failed and where, never echoing the message itself back.
 */
export function decodeMessage<S extends z.ZodType>(
  schema: S,
  raw: string | Buffer | Uint8Array,
  maxBytes: number,
): Decoded<z.infer<S>> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (size > maxBytes)
    return { ok: false, error: `message of ${size} bytes exceeds the ${maxBytes}-byte limit` };
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `invalid message: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'schema mismatch'}`,
    };
  }
  return { ok: true, value: parsed.data };
}

/** Encodes a message, refusing one the receiver would refuse for its size. */
export function encodeMessage(value: unknown, maxBytes: number): string {
  const text = JSON.stringify(value);
  const size = Buffer.byteLength(text);
  if (size > maxBytes) throw new Error(`message of ${size} bytes exceeds the ${maxBytes}-byte limit`);
  return text;
}
