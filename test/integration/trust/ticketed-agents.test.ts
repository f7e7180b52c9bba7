import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nodeScanSubject } from '../../../core/bus/nats/nats-permissions.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';
import { PROTOCOL_VERSION } from '../../../core/protocol/index.js';
import { jobResultKey } from '../../../core/store/scan-objects.js';
import { importOsv } from '../../../core/vuln/vuln-db.js';
import { publishVulnDb } from '../../../core/vuln/vuln-db-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { startStack } from '../../harness/cluster/start-stack.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { pullSecret, shopApp } from '../../harness/registry/pulling-app.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';

// Agents as a cluster runs them: their own node's NATS user (operator mode, TLS), no object-store keys —
// every object through pre-signed URLs on the real s3rver (https) — and pull credentials in sealed tickets.
const NODES = ['node-a', 'node-b'];
const servers = realServersForSuite({ nodes: NODES });
const creds = { username: 'puller', password: 'tick3t-s3cret-pass' };
let registry: RunningRegistry;
let built: BuiltImage;
let dir: string;

beforeAll(async () => {
  built = buildTestImage();
  dir = mkdtempSync(join(tmpdir(), 'seco-ticketed-'));
  registry = await startRegistry({ basicAuth: creds });
  await pushImage(built.layout, 'test', `${registry.host}/shop/app:1.0`, creds);
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  built?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function shopStack(image: string, fixture = 'misconfigured') {
  const digest = await new RegistrySource(parseReference(image), {
    credentials: creds,
    insecure: true,
  }).imageDigest({
    os: 'linux',
    architecture: 'amd64',
  });
  const objects = [
    ...withRunningPods([shopApp(image)], { nodes: ['node-a'], digests: { [image]: digest } }),
    pullSecret(registry.host, creds),
  ];
  const tlsCa = servers.tlsCa();
  return servers.use(
    await startStack({
      bus: () => servers.bus({ ackWaitMs: 10_000, maxDeliver: 3 }),
      agentsWithTickets: {
        bus: (node) => servers.agentBus(node, { ackWaitMs: 10_000, maxDeliver: 3 }),
        ...(tlsCa ? { tlsCa } : {}),
      },
      store: servers.store(),
      objects,
      nodes: [{ name: 'node-a', fixture }],
      agent: { insecureRegistries: [registry.host], cacheDir: join(dir, `cache-${Date.now()}`) },
    }),
  );
}

describe('agents without store keys, on their own NATS identity', () => {
  it('complete an image job and a host job through pre-signed URLs; the pull secret never crosses the bus in clear', async () => {
    const store = servers.store();
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'vulndb'));
    await publishVulnDb(join(dir, 'vulndb'), store);
    const image = `${registry.host}/shop/app:1.0`;
    const stack = await shopStack(image);
    // The broadest view of the bus there is: the aggregator's own user, subscribed to everything.
    const sniffer = await servers.bus();
    const seen: string[] = [];
    const stopSniffing = await sniffer.subscribe('>', (subject, data) =>
      seen.push(`${subject} ${Buffer.from(data).toString('utf8')}`),
    );
    try {
      const client = await connectClient(stack.aggregators[0]!.url, stack.token);
      const report = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image', 'host'] });
      client.close();
      if (!report.findings.some((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm'))
        throw new Error(
          JSON.stringify({ problems: report.problems, rules: report.findings.map((f) => f.ruleId) }),
        );
      // The image was pulled with the pod's pull secret and matched against the vuln DB read via URLs.
      expect(report.findings.find((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')).toMatchObject({
        scanner: 'image',
      });
      // The host job wrote its result through its URL: the misconfigured node's findings are in.
      expect(report.findings.map((f) => f.ruleId)).toContain('kubelet-anonymous-auth');
      expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
      // Every job's result is in the store, written by an agent that holds no key.
      for (const [jobId] of Object.entries(
        (await stack.aggregators[0]!.aggregator.coordinator.store.get(report.scanId))?.jobs ?? {},
      ))
        expect(await store.stat(jobResultKey(report.scanId, jobId))).toBeDefined();
      // Tickets went by (sealed), jobs went by (without credentials): the password is nowhere.
      expect(seen.some((m) => m.startsWith('seco.tickets.'))).toBe(true);
      expect(seen.some((m) => m.startsWith('seco.jobs.'))).toBe(true);
      const everything = seen.join('\n');
      expect(everything).not.toContain(creds.password);
      expect(everything).not.toContain(Buffer.from(`${creds.username}:${creds.password}`).toString('base64'));
    } finally {
      stopSniffing();
      await sniffer.close();
    }
  }, 180_000);

  it('does nothing with a replayed job: its ticket is refused and no result is written', async () => {
    const stack = await shopStack(`${registry.host}/shop/app:1.0`, 'hardened');
    const sniffer = await servers.bus();
    const jobs: Array<{ subject: string; data: Uint8Array }> = [];
    await sniffer.subscribe('seco.jobs.>', (subject, data) => jobs.push({ subject, data }));
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const report = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['host'] });
    const host = jobs.find((j) => j.subject === 'seco.jobs.node-a')!;
    const job = JSON.parse(Buffer.from(host.data).toString('utf8')) as { jobId: string; scanId: string };
    const key = jobResultKey(report.scanId, job.jobId);
    const before = await servers.store().stat(key);
    expect(before).toBeDefined();
    // Replay: the same job message queued again (as whoever could publish it would).
    const outcomes: string[] = [];
    await sniffer.subscribe(`${nodeScanSubject('progress', 'node-a', report.scanId)}`, (_s, d) =>
      outcomes.push(Buffer.from(d).toString()),
    );
    await sniffer.publishJob('node-a', host.data);
    await new Promise((r) => setTimeout(r, 3000)); // the agent polls every 200 ms
    expect(outcomes).toEqual([]);
    expect((await servers.store().stat(key))?.modified).toEqual(before?.modified);
    client.close();
    await sniffer.close();
  }, 120_000);

  it('ignores a forged outcome from another node: a job.done cannot hide a node’s host findings', async () => {
    const stack = await shopStack(`${registry.host}/shop/app:1.0`);
    await stack.stopAgent('node-a'); // node-a's host job waits in its queue
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const scanning = client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['host'] });
    const aggregator = stack.aggregators[0]!.aggregator;
    let queued: { scanId: string; jobId: string } | undefined;
    for (let i = 0; i < 100 && !queued; i++) {
      for (const scanId of await aggregator.coordinator.store.ids()) {
        const jobs = (await aggregator.coordinator.store.get(scanId))?.jobs ?? {};
        const jobId = Object.keys(jobs).find((id) => jobs[id]!.kind === 'host');
        if (jobId) queued = { scanId, jobId };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(queued).toBeDefined();
    const thief = await servers.agentBus('node-b');
    const forged = (node: string) =>
      Buffer.from(
        JSON.stringify({
          v: PROTOCOL_VERSION,
          type: 'job.done',
          ...queued,
          node,
          status: 'acked',
          findings: 0,
        }),
      );
    // On its own subject, claiming to be node-a, then claiming the job as its own: both ignored.
    await thief.publish(nodeScanSubject('progress', 'node-b', queued!.scanId), forged('node-a'));
    await thief.publish(nodeScanSubject('progress', 'node-b', queued!.scanId), forged('node-b'));
    await new Promise((r) => setTimeout(r, 1500));
    expect((await aggregator.coordinator.store.get(queued!.scanId))?.jobs[queued!.jobId]?.state).toBe(
      'queued',
    );
    await thief.close();
    await stack.startAgent({ name: 'node-a', fixture: 'misconfigured' });
    const report = await scanning;
    client.close();
    expect(report.findings.map((f) => f.ruleId)).toContain('kubelet-anonymous-auth');
  }, 120_000);
});
