import { createHash } from 'node:crypto';
import { ulid } from 'ulid';

/** A fresh event id: time-ordered (ULID), so stored events sort by when they happened. */
export function newEventId(now = Date.now()): string {
  return ulid(now);
}

/** The id of an event that came without one (an older agent): its content's hash, the same on every delivery. */
export function contentEventId(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}
