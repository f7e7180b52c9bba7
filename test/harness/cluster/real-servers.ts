import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { nodeInboxPrefix } from '../../../core/bus/nats/nats-permissions.js';
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
  /** A new connection to the suite's nats-server, as each process of a stack has its own (the aggregator's user with `trust`). */
  bus(options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** With `trust`: a connection as `node`'s agent (its own NATS user, no stream management). */
  agentBus(node: string, options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** With `trust`: seco's CA (PEM) every server's certificate chains to. */
  tlsCa(): string | undefined;
  /** The suite's s3rver through the minio client. */
  store(): S3ObjectStore;
  /** Registers the test's stack (in-process RunningStack or ProcessStack): stopped after the test. */
  use<T extends Stoppable>(stack: T): T;
}

/**
 * A suite's real servers — nats-server with JetStream and s3rver — started once for the suite, and the
 * stack each test starts on them stopped after it, whichever kind of stack it is.
 */
export function realServersForSuite(trust?: { nodes: readonly string[] }): RealServers {
  let nats: RunningNats | undefined;
  let s3: RunningS3 | undefined;
  let stack: Stoppable | undefined;
  let ca: string | undefined;
  beforeAll(async () => {
    if (!trust) {
      [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
      return;
    }
    // As the local stack runs: NATS in operator mode with TLS, the store on https, one CA for both.
    nats = await startNats({ trust });
    const files = nats.trust!;
    ca = readFileSync(files.caFile, 'utf8');
    s3 = await startS3('seco', { tls: { certFile: files.serverCert, keyFile: files.serverKey, ca } });
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
      NatsBus.connect(started(nats, 'nats-server').url, {
        ...options,
        ...(ca
          ? {
              tlsCa: ca,
              credentials: {
                creds: readFileSync(started(nats, 'nats-server').trust!.aggregatorCreds, 'utf8'),
              },
            }
          : {}),
      }),
    agentBus: (node, options = { ackWaitMs: 4000, maxDeliver: 3 }) => {
      const creds = started(nats, 'nats-server').trust?.agentCreds[node];
      if (!creds) throw new Error(`no agent credentials for node ${node}: start the suite with trust.nodes`);
      return NatsBus.connect(started(nats, 'nats-server').url, {
        ...options,
        manageStreams: false,
        ...(ca ? { tlsCa: ca } : {}),
        credentials: { creds: readFileSync(creds, 'utf8'), inboxPrefix: nodeInboxPrefix(node) },
      });
    },
    tlsCa: () => ca,
    store: () =>
      new S3ObjectStore({
        endpoint: started(s3, 's3rver').endpoint,
        bucket: 'seco',
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
        ...(ca ? { tlsCa: ca } : {}),
      }),
    use(running) {
      stack = running;
      return running;
    },
  };
}
