import { describe, expect, it } from '@jest/globals';
import { BusMessageTooLargeError, checkMessage } from '../../../core/bus/message-size.js';
import { MAX_BUS_MESSAGE_BYTES } from '../../../core/protocol/limits.js';

describe('checkMessage', () => {
  it('accepts bytes up to the limit and refuses one more, naming where and the sizes', () => {
    expect(checkMessage('subject a', new Uint8Array(10), 10).byteLength).toBe(10);
    const error = (() => {
      try {
        checkMessage('subject a', new Uint8Array(11), 10);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BusMessageTooLargeError);
    expect(error).toMatchObject({ where: 'subject a', size: 11, limit: 10 });
    expect(String(error)).toContain('message for subject a is 11 bytes, over the bus limit of 10 bytes');
  });

  it('defaults to the protocol limit, under NATS max_payload', () => {
    expect(() => checkMessage('x', new Uint8Array(MAX_BUS_MESSAGE_BYTES))).not.toThrow();
    expect(() => checkMessage('x', new Uint8Array(MAX_BUS_MESSAGE_BYTES + 1))).toThrow(
      BusMessageTooLargeError,
    );
  });

  it('refuses what is not bytes', () => {
    expect(() => checkMessage('x', 'text' as unknown as Uint8Array)).toThrow(/must be bytes/);
  });
});
