import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dump } from 'js-yaml';
import { AgentIdentity } from '../../../agent/agent-identity.js';
import { AgentEnrollment } from '../../../aggregator/agent-enrollment.js';
import { KubernetesAccess } from '../../../aggregator/kube-access.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { nodeInboxPrefix } from '../../../core/bus/nats/nats-permissions.js';
import { NatsTrust } from '../../../core/bus/nats/nats-trust.js';
import { DirectoryKubeView } from '../../../core/kube/directory-kube-view.js';
import { loadKubeConfig } from '../../../core/kube/load-kube-config.js';
import { nodeToolsQueue, SERVICE_TOOLS_NODE, serviceToolsQueue } from '../../../core/protocol/index.js';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';

// A node that joins after install gets its own NATS user: the agent enrolls with its pod's projected
// token, checked by a TokenReview against the (harness) API server and bound to the pod's node.
const SA = 'system:serviceaccount:seco-system:seco-agent';
const TOOLS_SA = 'system:serviceaccount:seco-system:seco-tools';
const POD = 'authentication.kubernetes.io/pod-name';
const NODE = 'authentication.kubernetes.io/node-name';
const options = { ackWaitMs: 2000, maxDeliver: 3 };
let nats: RunningNats;
let kubeApi: RunningKubeApi;
let dir: string;
let aggregator: NatsBus;
let enrollment: AgentEnrollment;
let ca: string;

const tokens = {
  'token-a': {
    username: SA,
    groups: [],
    audiences: ['seco-aggregator'],
    extra: { [POD]: ['agent-a'], [NODE]: ['node-c'] },
  },
  'token-b': { username: SA, groups: [], audiences: ['seco-aggregator'], extra: { [POD]: ['agent-b'] } },
  'token-api': {
    username: SA,
    groups: [],
    extra: { [POD]: ['agent-a'], [NODE]: ['node-c'] },
    audiences: ['https://kubernetes.default.svc'],
  },
  'token-tools': {
    username: TOOLS_SA,
    groups: [],
    audiences: ['seco-aggregator'],
    extra: { [POD]: ['seco-tools-7d9f'], [NODE]: ['node-c'] },
  },
  'token-other': {
    username: 'system:serviceaccount:shop:default',
    groups: [],
    audiences: ['seco-aggregator'],
    extra: { [POD]: ['web'], [NODE]: ['node-c'] },
  },
};

function tokenFile(token: string): string {
  const path = join(dir, `${token}.jwt`);
  writeFileSync(path, `${token}\n`);
  return path;
}

function enroll(node: string, token: string): Promise<AgentIdentity> {
  return AgentIdentity.enroll({
    servers: nats.url,
    node,
    bootstrapCreds: readFileSync(nats.trust!.enrollCreds, 'utf8'),
    tokenFile: tokenFile(token),
    tlsCa: ca,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seco-enroll-'));
  // No agent creds written: node-c's agent has none until it enrolls.
  nats = await startNats({ trust: { nodes: [] } });
  ca = readFileSync(nats.trust!.caFile, 'utf8');
  kubeApi = await startKubeApi({ tokens });
  writeFileSync(
    join(dir, 'pods.yaml'),
    dump({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'agent-b', namespace: 'seco-system' },
      spec: { nodeName: 'node-d' },
    }),
  );
  aggregator = await NatsBus.connect(nats.url, {
    ...options,
    tlsCa: ca,
    credentials: { creds: readFileSync(nats.trust!.aggregatorCreds, 'utf8') },
  });
  const access = new KubernetesAccess(loadKubeConfig({ kubeconfig: kubeApi.kubeconfigPath() }));
  enrollment = new AgentEnrollment({
    bus: aggregator,
    trust: NatsTrust.parse(JSON.parse(readFileSync(nats.trust!.natsTrust, 'utf8'))),
    review: (token, audience) => access.reviewFor(token, audience),
    kube: await DirectoryKubeView.load(join(dir, 'pods.yaml')),
    agentServiceAccount: SA,
    toolsServiceAccount: TOOLS_SA,
    ttlSeconds: 120,
  });
  await enrollment.start();
}, 60_000);
afterAll(async () => {
  enrollment?.close();
  await aggregator?.close();
  await kubeApi?.stop();
  await nats?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('agent enrollment', () => {
  it("mints a node's own user for an agent whose pod token is bound to that node", async () => {
    const identity = await enroll('node-c', 'token-a');
    expect(identity.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    const agent = await NatsBus.connect(nats.url, {
      ...options,
      manageStreams: false,
      tlsCa: ca,
      credentials: { creds: () => identity.creds(), inboxPrefix: nodeInboxPrefix('node-c') },
    });
    try {
      await aggregator.publishJob('node-c', Buffer.from('for c'));
      await aggregator.publishJob('node-d', Buffer.from('for d'));
      expect(Buffer.from((await agent.nextJob('node-c', 3000))!.data).toString()).toBe('for c');
      await expect(agent.nextJob('node-d', 1500)).rejects.toThrow();
      // Renewal goes over the agent's own connection.
      expect(await identity.ask(agent)).toBeGreaterThan(Date.now());
    } finally {
      await agent.close();
    }
  }, 30_000);

  it('finds the node through the bound pod when the token does not name it', async () => {
    await expect(enroll('node-d', 'token-b')).resolves.toBeInstanceOf(AgentIdentity);
  }, 30_000);

  it('refuses a token of another node, another audience or another service account', async () => {
    await expect(enroll('node-d', 'token-a')).rejects.toThrow(/bound to a pod on node node-c, not node-d/);
    await expect(enroll('node-c', 'token-api')).rejects.toThrow(/not a valid seco-aggregator token/);
    await expect(enroll('node-c', 'token-other')).rejects.toThrow(/not the agents' service account/);
    await expect(enroll('node-c', 'no-such-token')).rejects.toThrow(/not a valid/);
  }, 30_000);

  it('mints the Service tools user for a seco-tools pod, and only for one', async () => {
    const identity = await enroll(SERVICE_TOOLS_NODE, 'token-tools');
    const replica = await NatsBus.connect(nats.url, {
      ...options,
      manageStreams: false,
      tlsCa: ca,
      credentials: { creds: () => identity.creds(), inboxPrefix: nodeInboxPrefix(SERVICE_TOOLS_NODE) },
    });
    try {
      await aggregator.publishJob(serviceToolsQueue(), Buffer.from('probe the shop'));
      await aggregator.publishJob(nodeToolsQueue('node-c'), Buffer.from('node tools of c'));
      expect(Buffer.from((await replica.nextJob(serviceToolsQueue(), 3000))!.data).toString()).toBe(
        'probe the shop',
      );
      // Bound to node-c only for its heartbeat key: node-c's own queues stay node-c's.
      await expect(replica.nextJob(nodeToolsQueue('node-c'), 1500)).rejects.toThrow();
      await expect(replica.nextJob('node-c', 1500)).rejects.toThrow();
    } finally {
      await replica.close();
    }
    // The seco-tools token names no node's agent, and an agent's token is not the Service tools'.
    await expect(enroll('node-c', 'token-tools')).rejects.toThrow(/not the agents' service account/);
    await expect(enroll(SERVICE_TOOLS_NODE, 'token-a')).rejects.toThrow(/not the seco-tools service account/);
  }, 30_000);

  it('lets the bootstrap user do nothing but ask', async () => {
    const bootstrap = await NatsBus.connect(nats.url, {
      ...options,
      manageStreams: false,
      tlsCa: ca,
      credentials: { creds: readFileSync(nats.trust!.enrollCreds, 'utf8'), inboxPrefix: '_INBOX_enroll' },
    });
    try {
      await aggregator.publishJob('node-c', Buffer.from('not for bootstrap'));
      await expect(bootstrap.nextJob('node-c', 1500)).rejects.toThrow();
    } finally {
      await bootstrap.close();
    }
  }, 30_000);
});
