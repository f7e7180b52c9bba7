import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { type RunningNats, startNats } from '../nats/start-nats.js';
import { type RunningS3, startS3 } from '../s3/start-s3rver.js';
import type { RunningStack } from './start-stack.js';

export interface RealServers {
  /** A new connection to the suite's nats-server, as each process of a stack has its own. */
  bus(options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** The suite's s3rver through the minio client. */
  store(): S3ObjectStore;
  /** Registers the test's stack: stopped after the test. */
  use(stack: RunningStack): RunningStack;
}

/**
 * A suite's real servers — nats-server with JetStream and s3rver — started once for the suite, and the
 * stack each test starts on them stopped after it.
 */
export function realServersForSuite(): RealServers {
  let nats: RunningNats;
  let s3: RunningS3;
  let stack: RunningStack | undefined;
  beforeAll(async () => {
    [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  }, 30_000);
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });
  afterAll(async () => {
    await nats?.stop();
    await s3?.stop();
  });
  return {
    bus: (options = { ackWaitMs: 4000, maxDeliver: 3 }) => NatsBus.connect(nats.url, options),
    store: () =>
      new S3ObjectStore({ endpoint: s3.endpoint, bucket: 'seco', accessKey: 'S3RVER', secretKey: 'S3RVER' }),
    use(running) {
      stack = running;
      return running;
    },
  };
}
