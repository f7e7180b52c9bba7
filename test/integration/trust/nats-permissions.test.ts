import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { NatsBus, type NatsBusOptions } from '../../../core/bus/nats/nats-bus.js';
import {
  heartbeatKey,
  nodeInboxPrefix,
  nodeScanSubject,
  serviceToolsPermissions,
  ticketSubject,
  toolsHeartbeatKey,
} from '../../../core/bus/nats/nats-permissions.js';
import { mintUserCreds } from '../../../core/bus/nats/nats-user.js';
import { NODE_PODS_BUCKET, nodePodsKey } from '../../../core/kube/node-pods.js';
import {
  nodeToolsQueue,
  SERVICE_TOOLS_NODE,
  serviceToolsQueue,
  subjects,
} from '../../../core/protocol/index.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';

// The attacks of issue 11 against the real nats-server in operator mode with TLS, as the local stack runs it.
const NODE_A = 'node-a';
const NODE_B = 'node-b.example.com';
const options: NatsBusOptions = { ackWaitMs: 2000, maxDeliver: 3 };
const text = (data: Uint8Array) => Buffer.from(data).toString();
const bytes = (value: string) => Buffer.from(value);

let nats: RunningNats;
let ca: string;
let aggregator: NatsBus;
let agentA: NatsBus;
const open: NatsBus[] = [];

function agentBus(node: string): Promise<NatsBus> {
  const trust = nats.trust!;
  return NatsBus.connect(nats.url, {
    ...options,
    manageStreams: false,
    tlsCa: ca,
    credentials: { creds: readFileSync(trust.agentCreds[node]!, 'utf8'), inboxPrefix: nodeInboxPrefix(node) },
  }).then((bus) => {
    open.push(bus);
    return bus;
  });
}

/** Resolves with what `subject` receives until `sentinel` arrives on `after` (same publisher: ordered). */
async function receivedBefore(
  subject: string,
  sentinelSubject: string,
  act: () => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let done!: () => void;
  const sentinel = new Promise<void>((resolve) => {
    done = resolve;
  });
  const stopA = await aggregator.subscribe(subject, (_s, data) => seen.push(text(data)));
  const stopB = await aggregator.subscribe(sentinelSubject, () => done());
  try {
    await act();
    await sentinel;
    return seen;
  } finally {
    stopA();
    stopB();
  }
}

beforeAll(async () => {
  nats = await startNats({ trust: { nodes: [NODE_A, NODE_B] } });
  ca = readFileSync(nats.trust!.caFile, 'utf8');
  aggregator = await NatsBus.connect(nats.url, {
    ...options,
    tlsCa: ca,
    credentials: { creds: readFileSync(nats.trust!.aggregatorCreds, 'utf8') },
  });
  open.push(aggregator);
  agentA = await agentBus(NODE_A);
}, 60_000);
afterAll(async () => {
  for (const bus of open.reverse()) await bus.close().catch(() => undefined);
  await nats?.stop();
});

describe('NATS with per-component users and TLS', () => {
  it('refuses a client without credentials', async () => {
    await expect(NatsBus.connect(nats.url, { ...options, tlsCa: ca })).rejects.toThrow(
      /Authorization Violation/i,
    );
  });

  it('refuses a client that does not speak TLS verified by seco CA', async () => {
    const creds = readFileSync(nats.trust!.aggregatorCreds, 'utf8');
    // No CA given: the server's certificate chains to nothing the client trusts.
    await expect(NatsBus.connect(nats.url, { ...options, credentials: { creds } })).rejects.toThrow(
      /certificate|TLS|self.signed/i,
    );
    // A client that insists on plain text is refused by the server.
    await expect(connect({ servers: nats.url, tls: null, reconnect: false, timeout: 3000 })).rejects.toThrow(
      /tls|secure|Authorization/i,
    );
  });

  it("gives an agent its own node's jobs, and takes its results, events, heartbeat and ticket requests", async () => {
    await aggregator.publishJob(NODE_A, bytes('job-1'));
    const job = await agentA.nextJob(NODE_A, 3000);
    expect(job && text(job.data)).toBe('job-1');
    await job!.ack();

    const outcomes = await receivedBefore('seco.progress.>', 'seco.findings.>', async () => {
      await agentA.publish(nodeScanSubject('progress', NODE_A, 's1'), bytes('done'));
      await agentA.publish(nodeScanSubject('findings', NODE_A, 's1'), bytes('sentinel'));
    });
    expect(outcomes).toEqual(['done']);

    await agentA.publishEvent(subjects.events(NODE_A), bytes('{"e":1}'), `ev-${Date.now()}`);
    await aggregator.keyValue('seco-agents'); // the aggregator creates buckets; an agent only binds to them
    const hb = await agentA.keyValue('seco-agents');
    await hb.put(heartbeatKey(NODE_A), bytes('alive'));
    expect(text((await (await aggregator.keyValue('seco-agents')).get(heartbeatKey(NODE_A)))!.value)).toBe(
      'alive',
    );

    const pods = await aggregator.keyValue(NODE_PODS_BUCKET);
    await pods.put(nodePodsKey(NODE_A), bytes('pods-of-a'));
    const agentPods = await agentA.keyValue(NODE_PODS_BUCKET);
    expect(text((await agentPods.get(nodePodsKey(NODE_A)))!.value)).toBe('pods-of-a');
    const watched = new Promise<string>((resolve) => {
      void agentPods.watch((_k, value) => value && resolve(text(value)), nodePodsKey(NODE_A));
    });
    await new Promise((r) => setTimeout(r, 300));
    await pods.put(nodePodsKey(NODE_A), bytes('pods-of-a-2'));
    expect(await watched).toBe('pods-of-a-2');

    const stop = await aggregator.serve('seco.tickets.*', async (subject) => bytes(`ticket for ${subject}`));
    try {
      expect(text(await agentA.request(ticketSubject(NODE_A), bytes('{}'), 3000))).toBe(
        `ticket for ${ticketSubject(NODE_A)}`,
      );
    } finally {
      stop();
    }
  }, 30_000);

  it("keeps a stolen agent identity off another node's subjects", async () => {
    await aggregator.publishJob(NODE_B, bytes('secret job of b'));
    // Another node's queue: its pull requests are refused.
    await expect(agentA.nextJob(NODE_B, 1500)).rejects.toThrow(/permission|timeout|taking a job/i);
    // Another node's results, and scan messages: dropped by the server.
    const forged = await receivedBefore(
      'seco.>',
      nodeScanSubject('findings', NODE_A, 'sentinel'),
      async () => {
        await agentA.publish(nodeScanSubject('progress', NODE_B, 's1'), bytes('forged outcome of b'));
        await agentA.publish(subjects.scan('s1'), bytes('forged report'));
        await agentA.publish('seco.progress.s1', bytes('old-style outcome'));
        await agentA.publish(nodeScanSubject('findings', NODE_A, 'sentinel'), bytes('sentinel'));
      },
    );
    expect(forged).toEqual(['sentinel']);
    // Another node's heartbeat and pods.
    const hb = await agentA.keyValue('seco-agents');
    await expect(hb.put(heartbeatKey(NODE_B), bytes('forged'))).rejects.toThrow();
    await (await aggregator.keyValue(NODE_PODS_BUCKET)).put(nodePodsKey(NODE_B), bytes('pods-of-b'));
    await expect((await agentA.keyValue(NODE_PODS_BUCKET)).get(nodePodsKey(NODE_B))).rejects.toThrow();
    // Queuing work, or reading every job off the stream.
    await expect(agentA.publishJob(NODE_B, bytes('injected'))).rejects.toThrow();
    const b = await agentBus(NODE_B);
    const job = await b.nextJob(NODE_B, 3000);
    expect(job && text(job.data)).toBe('secret job of b'); // still there, for node b alone
    await job!.ack();
  }, 30_000);

  it("lets the node's tools runner (the node's user) take the node's tools queue and keep its tools heartbeat, and no other node's", async () => {
    await aggregator.publishJob(nodeToolsQueue(NODE_A), bytes('tools job of a'));
    const job = await agentA.nextJob(nodeToolsQueue(NODE_A), 3000);
    expect(job && text(job.data)).toBe('tools job of a');
    await job!.ack();
    await aggregator.keyValue('seco-agents');
    const hb = await agentA.keyValue('seco-agents');
    await hb.put(toolsHeartbeatKey('node', NODE_A), bytes('tools alive'));
    await expect(hb.put(toolsHeartbeatKey('node', NODE_B), bytes('forged'))).rejects.toThrow();
    await expect(hb.put(toolsHeartbeatKey('services', NODE_A), bytes('forged'))).rejects.toThrow();
    await aggregator.publishJob(nodeToolsQueue(NODE_B), bytes('tools job of b'));
    await expect(agentA.nextJob(nodeToolsQueue(NODE_B), 1500)).rejects.toThrow(
      /permission|timeout|taking a job/i,
    );
    const b = await agentBus(NODE_B);
    const theirs = await b.nextJob(nodeToolsQueue(NODE_B), 3000);
    expect(theirs && text(theirs.data)).toBe('tools job of b');
    await theirs!.ack();
  }, 30_000);

  it('gives a seco-tools replica (the Service tools user the aggregator mints) its queue, outcomes, tickets and heartbeat key, and nothing of a node', async () => {
    // What AgentEnrollment mints for a seco-tools pod on node-a (aggregator/agent-enrollment.ts).
    const creds = await mintUserCreds(nats.trust!.material.natsTrust, {
      name: `tools:services:${NODE_A}`,
      permissions: serviceToolsPermissions(NODE_A),
    });
    const tools = await NatsBus.connect(nats.url, {
      ...options,
      manageStreams: false,
      tlsCa: ca,
      credentials: { creds, inboxPrefix: nodeInboxPrefix(SERVICE_TOOLS_NODE) },
    });
    open.push(tools);
    // Its queue: the Service tool jobs, and it settles them.
    await aggregator.publishJob(serviceToolsQueue(), bytes('service tools job'));
    const job = await tools.nextJob(serviceToolsQueue(), 3000);
    expect(job && text(job.data)).toBe('service tools job');
    await job!.ack();
    // Its outcomes and findings (as node _services), nothing else: a node's outcome, a scan message, events.
    const published = await receivedBefore(
      'seco.>',
      nodeScanSubject('findings', SERVICE_TOOLS_NODE, 'sentinel'),
      async () => {
        await tools.publish(nodeScanSubject('progress', SERVICE_TOOLS_NODE, 's1'), bytes('outcome'));
        await tools.publish(nodeScanSubject('progress', NODE_A, 's1'), bytes('forged outcome of a'));
        await tools.publish(subjects.scan('s1'), bytes('forged report'));
        await tools.publish(subjects.events(NODE_A), bytes('forged event'));
        await tools.publish(nodeScanSubject('findings', SERVICE_TOOLS_NODE, 'sentinel'), bytes('sentinel'));
      },
    );
    expect(published).toEqual(['outcome', 'sentinel']);
    // Its tickets, not a node's.
    const stop = await aggregator.serve('seco.tickets.*', async (subject) => bytes(`ticket for ${subject}`));
    try {
      expect(text(await tools.request(ticketSubject(SERVICE_TOOLS_NODE), bytes('{}'), 3000))).toBe(
        `ticket for ${ticketSubject(SERVICE_TOOLS_NODE)}`,
      );
      await expect(tools.request(ticketSubject(NODE_A), bytes('{}'), 1500)).rejects.toThrow();
    } finally {
      stop();
    }
    // Its own heartbeat key only.
    await aggregator.keyValue('seco-agents');
    const hb = await tools.keyValue('seco-agents');
    await hb.put(toolsHeartbeatKey('services', NODE_A), bytes('replica alive'));
    for (const key of [
      toolsHeartbeatKey('services', NODE_B),
      toolsHeartbeatKey('node', NODE_A),
      heartbeatKey(NODE_A),
    ])
      await expect(hb.put(key, bytes('forged'))).rejects.toThrow();
    // No node's queue, neither its agent's nor its tools runner's, and no node's pods.
    await aggregator.publishJob(NODE_A, bytes('host job of a'));
    await aggregator.publishJob(nodeToolsQueue(NODE_A), bytes('tools job of a'));
    await expect(tools.nextJob(NODE_A, 1500)).rejects.toThrow(/permission|timeout|taking a job/i);
    await expect(tools.nextJob(nodeToolsQueue(NODE_A), 1500)).rejects.toThrow(
      /permission|timeout|taking a job/i,
    );
    await (await aggregator.keyValue(NODE_PODS_BUCKET)).put(nodePodsKey(NODE_A), bytes('pods-of-a'));
    await expect((await tools.keyValue(NODE_PODS_BUCKET)).get(nodePodsKey(NODE_A))).rejects.toThrow();
    // Nor can it queue work.
    await expect(tools.publishJob(serviceToolsQueue(), bytes('injected'))).rejects.toThrow();
    // The node's jobs are still there for the node's own users.
    for (const queue of [NODE_A, nodeToolsQueue(NODE_A)]) {
      const theirs = await agentA.nextJob(queue, 3000);
      expect(theirs && text(theirs.data)).toMatch(/of a$/);
      await theirs!.ack();
    }
  }, 60_000);

  it('lets a bare subscription see nothing: an agent cannot listen to the jobs stream', async () => {
    const creds = readFileSync(nats.trust!.agentCreds[NODE_A]!, 'utf8');
    const { credsAuthenticator } = await import('@nats-io/transport-node');
    const nc = await connect({
      servers: nats.url,
      tls: { ca },
      authenticator: credsAuthenticator(bytes(creds)),
      inboxPrefix: nodeInboxPrefix(NODE_A),
    });
    try {
      const sub = nc.subscribe('seco.jobs.>');
      // The server refuses the SUB; the client closes the subscription with the server's error.
      const closed = sub.closed.then(
        (error) => String(error ?? 'closed without error'),
        (error: Error) => error.message,
      );
      await aggregator.publish('seco.jobs.x', bytes('x'));
      expect(await closed).toMatch(/permission/i);
    } finally {
      await nc.close();
    }
  }, 30_000);
});
