import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { type RunningNats, startNats } from '../nats/start-nats.js';
import { type RunningS3, startS3 } from '../s3/start-s3rver.js';

/** What a test starts on the suite's servers and must stop after it: an in-process or a process stack. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface RealServers {
  /** The suite's nats-server (its URL, restart, down/up for fault tests); set once the suite has started. */
  readonly nats: RunningNats;
  /** The suite's s3rver (its endpoint for process flags, restart); set once the suite has started. */
  readonly s3: RunningS3;
  /** A new connection to the suite's nats-server, as each process of a stack has its own. */
  bus(options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** The suite's s3rver through the minio client. */
  store(): S3ObjectStore;
  /** Registers the test's stack (in-process RunningStack or ProcessStack): stopped after the test. */
  use<T extends Stoppable>(stack: T): T;
}

/**
 * A suite's real servers — nats-server with JetStream and s3rver — started once for the suite, and the
 * stack each test starts on them stopped after it, whichever kind of stack it is.
 */
export function realServersForSuite(): RealServers {
  let nats: RunningNats | undefined;
  let s3: RunningS3 | undefined;
  let stack: Stoppable | undefined;
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
  const started = <T>(server: T | undefined, name: string): T => {
    if (!server) throw new Error(`the suite's ${name} is not started yet (use it inside a test)`);
    return server;
  };
  return {
    get nats() {
      return started(nats, 'nats-server');
    },
    get s3() {
      return started(s3, 's3rver');
    },
    bus: (options = { ackWaitMs: 4000, maxDeliver: 3 }) =>
      NatsBus.connect(started(nats, 'nats-server').url, options),
    store: () =>
      new S3ObjectStore({
        endpoint: started(s3, 's3rver').endpoint,
        bucket: 'seco',
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
      }),
    use(running) {
      stack = running;
      return running;
    },
  };
}
