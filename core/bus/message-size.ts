import { MAX_BUS_MESSAGE_BYTES } from '../protocol/limits.js';

/** A message over the bus's size limit: refused before it reaches the server (NATS max_payload is 1 MiB). */
export class BusMessageTooLargeError extends Error {
  constructor(
    readonly where: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message for ${where} is ${size} bytes, over the bus limit of ${limit} bytes`);
    this.name = 'BusMessageTooLargeError';
  }
}

export function checkMessage(where: string, data: unknown, limit = MAX_BUS_MESSAGE_BYTES): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`message for ${where} must be bytes (Uint8Array)`);
  if (data.byteLength > limit) throw new BusMessageTooLargeError(where, data.byteLength, limit);
  return data;
}
