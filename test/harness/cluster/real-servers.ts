import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { nodeInboxPrefix } from '../../../core/bus/nats/nats-permissions.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { type RunningNats, startNats } from '../nats/start-nats.js';
import { type RunningS3, startS3 } from '../s3/start-s3rver.js';
import type { RunningStack } from './start-stack.js';

export interface RealServers {
  /** A new connection to the suite's nats-server, as each process of a stack has its own (the aggregator's user with `trust`). */
  bus(options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** With `trust`: a connection as `node`'s agent (its own NATS user, no stream management). */
  agentBus(node: string, options?: { ackWaitMs: number; maxDeliver: number }): Promise<Bus>;
  /** With `trust`: seco's CA (PEM) every server's certificate chains to. */
  tlsCa(): string | undefined;
  /** The suite's s3rver through the minio client. */
  store(): S3ObjectStore;
  /** Registers the test's stack: stopped after the test. */
  use(stack: RunningStack): RunningStack;
}

/**
 * A suite's real servers — nats-server with JetStream and s3rver — started once for the suite, and the
 * stack each test starts on them stopped after it.
 */
export function realServersForSuite(trust?: { nodes: readonly string[] }): RealServers {
  let nats: RunningNats;
  let s3: RunningS3;
  let stack: RunningStack | undefined;
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
  return {
    bus: (options = { ackWaitMs: 4000, maxDeliver: 3 }) =>
      NatsBus.connect(nats.url, {
        ...options,
        ...(ca
          ? { tlsCa: ca, credentials: { creds: readFileSync(nats.trust!.aggregatorCreds, 'utf8') } }
          : {}),
      }),
    agentBus: (node, options = { ackWaitMs: 4000, maxDeliver: 3 }) => {
      const creds = nats.trust?.agentCreds[node];
      if (!creds) throw new Error(`no agent credentials for node ${node}: start the suite with trust.nodes`);
      return NatsBus.connect(nats.url, {
        ...options,
        manageStreams: false,
        ...(ca ? { tlsCa: ca } : {}),
        credentials: { creds: readFileSync(creds, 'utf8'), inboxPrefix: nodeInboxPrefix(node) },
      });
    },
    tlsCa: () => ca,
    store: () =>
      new S3ObjectStore({
        endpoint: s3.endpoint,
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
