import { describe, expect, it } from '@jest/globals';
import { natsStatusToReadiness, Readiness } from '../../../core/service/readiness.js';

describe('Readiness', () => {
  it('is ready when every condition is ok and names what is degraded since its first failure', () => {
    let clock = Date.parse('2026-12-06T04:00:00Z');
    const readiness = new Readiness(() => new Date(clock));
    readiness.ok('nats');
    readiness.ok('s3');
    expect(readiness.isReady()).toBe(true);
    readiness.degraded('s3', 'connect ECONNREFUSED 127.0.0.1:9000');
    clock += 5000;
    readiness.degraded('s3', 'connect ECONNREFUSED 127.0.0.1:9000');
    expect(readiness.isReady()).toBe(false);
    expect(readiness.describe()).toBe(
      [
        'nats ok since 2026-12-06T04:00:00.000Z',
        's3 degraded since 2026-12-06T04:00:00.000Z: connect ECONNREFUSED 127.0.0.1:9000',
      ].join('\n'),
    );
    readiness.ok('s3');
    expect(readiness.isReady()).toBe(true);
    expect(readiness.snapshot().s3).toEqual({ ok: true, since: '2026-12-06T04:00:05.000Z' });
  });

  it('follows the NATS client: degraded on disconnect, ok again on reconnect, ping statuses ignored', () => {
    const readiness = new Readiness();
    const status = natsStatusToReadiness(readiness);
    readiness.ok('nats');
    status('ping', '');
    expect(readiness.isReady()).toBe(true);
    status('disconnect', '127.0.0.1:4222');
    expect(readiness.describe()).toMatch(/^nats degraded since .*: disconnect \(127\.0\.0\.1:4222\)$/);
    status('reconnect', '127.0.0.1:4222');
    expect(readiness.isReady()).toBe(true);
    status('close', '');
    expect(readiness.describe()).toMatch(/connection closed$/);
  });
});
