import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { TicketClient } from '../../../agent/job-ticket-client.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { BusPodView } from '../../../core/kube/bus-pod-view.js';
import type { Finding } from '../../../core/model/index.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

let stack: RunningStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function post(
  port: number,
  path: string,
  body: string,
  token?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const REGCRED = {
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/dockerconfigjson',
  metadata: { name: 'regcred', namespace: 'wordsmith' },
  data: {
    '.dockerconfigjson': Buffer.from(
      JSON.stringify({ auths: { 'ghcr.io': { username: 'puller', password: 's3cret' } } }),
    ).toString('base64'),
  },
};

/** The demo app, its aggregator Deployment pulling with `regcred`. */
function demoWithPullSecret() {
  const manifests = readManifests('examples/demo-app/common');
  for (const o of manifests)
    if (o.kind === 'Deployment' && o.metadata?.name === 'aggregator')
      (o.spec as { template: { spec: Record<string, unknown> } }).template.spec.imagePullSecrets = [
        { name: 'regcred' },
      ];
  return [...withRunningPods(manifests, { nodes: ['node-a', 'node-b'] }), REGCRED];
}

async function start(continuous = true) {
  const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
  const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-continuous-')));
  stack = await startStack({
    bus: async () => sharedBus(bus),
    store,
    objects: [...demoWithPullSecret(), ...falcoAlertPod('node-b')],
    nodes: [
      { name: 'node-a', fixture: 'hardened' },
      { name: 'node-b', fixture: 'misconfigured' },
    ],
    continuous,
  });
  const client = await connectClient(stack.aggregators[0]!.url, stack.token);
  return { bus, store, client, port: stack.aggregators[0]!.port };
}

describe('continuous mode: pods to agents, new images scanned, runtime events stored and acted on', () => {
  it('publishes each node’s pods for its agent and scans every image digest the first time it is seen', async () => {
    const { bus, client } = await start();
    const view = await BusPodView.open(sharedBus(bus), 'node-b');
    const pods = await until('node-b pods', async () => {
      const found = await view.list('Pod');
      return found.length > 0 ? found : undefined;
    });
    view.close();
    expect(pods.every((p) => (p.spec as { nodeName?: string }).nodeName === 'node-b')).toBe(true);
    expect(JSON.stringify(pods)).toContain('containerd://');
    // No env values travel to the nodes: only what attribution needs.
    expect(JSON.stringify(pods)).not.toContain('VERB_URL');
    const listing = await until('feedback scans', async () => {
      const scans = (await client.listResults(50)).filter((s) =>
        s.target.includes('feedback: new-image-digest-is-scanned'),
      );
      return scans.length > 0 ? scans : undefined;
    });
    expect(listing.length).toBeGreaterThan(0);
    client.close();
  }, 30_000);

  it('takes Falco alerts: refused without a token or as garbage, else forwarded to watchers, stored and acted on', async () => {
    const { store, client, port } = await start();
    const events: Finding[] = [];
    client.watch({}, (f) => events.push(f));
    const alert = JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8'));
    alert.priority = 'Critical';
    alert.hostname = 'node-b';
    expect((await post(port, '/falco', JSON.stringify(alert))).status).toBe(401);
    expect((await post(port, '/falco', '{"rule":', stack!.token)).status).toBe(400);
    expect((await post(port, '/falco', JSON.stringify({ rule: 'x' }), stack!.token)).status).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    const accepted = await post(port, '/falco', JSON.stringify([alert]), stack!.token);
    expect(accepted.status).toBe(202);
    expect(JSON.parse(accepted.body)).toEqual({ accepted: 1, refused: [] });
    const event = await until('the watch event', async () => events[0]);
    expect(event).toMatchObject({
      scanner: 'tool:falco',
      severity: 'critical',
      resource: { namespace: 'shop', name: 'web-7d9', node: 'node-b' },
    });
    expect(JSON.stringify(event)).not.toContain('wJalrXUtnFEMI/K7MDENG');
    await until('stored events', async () => {
      for await (const key of store.list('events/')) return key;
      return undefined;
    });
    const rescans = await until('the feedback scan', async () => {
      const scans = (await client.listResults(50)).filter((s) =>
        s.target.includes('feedback: runtime-alert-rescans-image-and-node'),
      );
      return scans.length > 0 ? scans : undefined;
    });
    const report = await client.getResult(rescans[0]!.scanId);
    expect(report.findings.some((f) => f.scanner === 'host' && f.resource.node === 'node-b')).toBe(true);
    client.close();
  }, 30_000);

  it('an image rescan asked for by an alert in a pod pulls with that pod’s imagePullSecrets', async () => {
    // Not continuous: a first-seen scan of the same digest would make the alert's rescan wait its quiet time.
    const { bus, client, port } = await start(false);
    const pod = (
      await stack!.kube.list('Pod', { namespace: 'wordsmith', labelSelector: 'app=aggregator' })
    )[0]!;
    const node = (pod.spec as { nodeName: string }).nodeName;
    // The node's agent is away, so the job stays in its queue for the test to read.
    await stack!.stopAgent(node);
    const alert = JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8'));
    Object.assign(alert, { priority: 'Critical', hostname: node });
    Object.assign(alert.output_fields, {
      'k8s.ns.name': 'wordsmith',
      'k8s.pod.name': pod.metadata!.name,
      // Alerts are checked against the cluster: the container must be one of the pod's.
      'container.name': (pod.spec as { containers: Array<{ name: string }> }).containers[0]!.name,
      'container.image.repository': 'ghcr.io/wordsmith/aggregator',
      'container.image.tag': '<NA>',
    });
    const posted = await post(port, '/falco', JSON.stringify(alert), stack!.token);
    expect(posted.status).toBe(202);
    const job = await until('the credentialed image job', async () => {
      const taken = await bus.nextJob(node, 200);
      if (!taken) return undefined;
      await taken.ack();
      const decoded = JSON.parse(Buffer.from(taken.data).toString()) as {
        kind: string;
        scanId: string;
        jobId: string;
        pullSecrets?: unknown[];
        credentials?: unknown;
      };
      return decoded.kind === 'image' && decoded.pullSecrets?.length ? decoded : undefined;
    });
    // The queue carries the secret's name only; the node's agent gets the credentials in its sealed ticket.
    expect(job.credentials).toBeUndefined();
    const ticket = await new TicketClient(bus, node).ticket(job);
    expect(ticket.credentials).toEqual([{ registry: 'ghcr.io', username: 'puller', password: 's3cret' }]);
    client.close();
  }, 30_000);
});
