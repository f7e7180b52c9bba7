import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildInfo } from '../../../core/build/build-info.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { importOsv } from '../../../core/vuln/vuln-db.js';
import { publishVulnDb } from '../../../core/vuln/vuln-db-store.js';
import type { StatusReport } from '../../../plugin/status/status-report.js';
import { readManifests } from '../../harness/cluster/demo-cluster.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';
import { runCli } from './run-cli.js';

const NS = 'seco-system';
const AGENTS_NS = 'seco-agents';
let api: RunningKubeApi;
let nats: RunningNats;
let s3: RunningS3;
let stack: RunningStack;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'seco-status-e2e-'));

const readyNode = (name: string, taints: object[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
  spec: { taints },
  status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
});

const agentPod = (node: string, status: object, spec: object = { nodeName: node }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `seco-agent-${node}`,
    namespace: AGENTS_NS,
    labels: { 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/part-of': 'seco' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'seco-agent', controller: true }],
  },
  spec: { ...spec, containers: [{ name: 'agent', image: 'ghcr.io/seco-dev/seco:0.1.0' }] },
  status,
});
const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };

/** seco's own manifests as `kubectl seco install` applies them, with the status its controllers would report. */
function installedSeco(): KubeObject[] {
  const objects = readManifests('manifests').filter((o) => o.kind !== 'Kustomization');
  // Every object names its namespace (seco-system, and seco-agents for the agents).
  for (const o of objects) {
    if (o.kind === 'StatefulSet') o.status = { replicas: 1, readyReplicas: 1 };
    if (o.kind === 'Deployment') o.status = { replicas: 2, readyReplicas: 2, availableReplicas: 2 };
    if (o.kind === 'DaemonSet') {
      o.status = { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2 };
      // A cluster whose operator narrowed the agent's tolerations to the control plane's taint.
      const template = (o.spec as { template: { spec: Record<string, unknown> } }).template;
      template.spec.tolerations = [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ];
    }
  }
  return [
    ...objects,
    readyNode('node-a'),
    readyNode('node-b', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
    agentPod('node-a', running),
    agentPod('node-b', running),
  ];
}

async function status(...args: string[]): Promise<{ code: number; report: StatusReport; stderr: string }> {
  const { code, stdout, stderr } = await runCli([
    'status',
    '-o',
    'json',
    '--kubeconfig',
    kubeconfig,
    ...args,
  ]);
  return { code, report: JSON.parse(stdout) as StatusReport, stderr };
}

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  const store = new S3ObjectStore({
    endpoint: s3.endpoint,
    bucket: 'seco',
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
  });
  await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'vulndb'));
  await publishVulnDb(join(dir, 'vulndb'), store);
  api = await startKubeApi({ seed: installedSeco() });
  kubeconfig = api.kubeconfigPath();
  stack = await startStack({
    bus: () => NatsBus.connect(nats.url, { ackWaitMs: 5000, maxDeliver: 3 }),
    store,
    nodes: [
      { name: 'node-a', fixture: 'hardened' },
      { name: 'node-b', fixture: 'hardened' },
    ],
  });
  api.registerServiceTarget(NS, 'seco-aggregator', 'http', `http://127.0.0.1:${stack.aggregators[0]!.port}`);
}, 60_000);

afterAll(async () => {
  await nats?.up();
  await stack?.stop();
  await api?.stop();
  await nats?.stop();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubectl seco status and version against the API harness and a real stack', () => {
  it('is healthy (exit 0): every component ready, an agent on each node, NATS, S3 and a fresh vuln DB', async () => {
    const { code, report } = await status();
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    expect(report.health).toBe('healthy');
    expect(report.components.map((c) => [c.name, c.kind, `${c.ready}/${c.desired}`, c.version])).toEqual([
      ['nats', 'StatefulSet', '1/1', '2.10.24-alpine'],
      ['minio', 'StatefulSet', '1/1', 'RELEASE.2024-12-18T13-15-44Z'],
      ['aggregator', 'Deployment', '2/2', '0.1.0'],
      ['agent', 'DaemonSet', '2/2', '0.1.0'],
    ]);
    expect(report.agents).toMatchObject({ nodes: 2, ready: 2 });
    expect(report.agents.perNode.map((n) => [n.node, n.agent, n.heartbeat?.online])).toEqual([
      ['node-a', 'ready', true],
      ['node-b', 'ready', true],
    ]);
    expect(report.aggregator.via).toMatch(/^service seco-system\/seco-aggregator:http through context /);
    expect(report.aggregator.status).toMatchObject({
      replica: 'replica-a',
      nats: { connected: true },
      s3: { reachable: true },
    });
    expect(report.aggregator.status!.vulnDb.present).toBe(true);
    // The manifests run the bus with per-component users and TLS.
    expect(report.bus).toEqual({ auth: true, tls: true, missing: [] });
  }, 30_000);

  it('prints a table by default, and reaches the aggregator directly with --aggregator-url and --token', async () => {
    const table = await runCli(['status', '--kubeconfig', kubeconfig]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/seco in namespace seco-system: HEALTHY/);
    expect(table.stdout).toMatch(/agent\s+DaemonSet\s+2\/2\s+0\.1\.0\s+ghcr\.io\/seco-dev\/seco:0\.1\.0/);
    expect(table.stdout).toMatch(/NATS\s+connected \(round trip/);
    expect(table.stdout).toMatch(/node-b\s+ready\s+seco-agent-node-b/);
    const url = `ws://127.0.0.1:${stack.aggregators[0]!.port}/ws`;
    const direct = await status('--aggregator-url', url, '--token', stack.token);
    expect(direct.code).toBe(0);
    expect(direct.report.aggregator.via).toBe(`http://127.0.0.1:${stack.aggregators[0]!.port}/status`);
    const refused = await status('--aggregator-url', url, '--token', 'wrong-token');
    expect(refused.code).toBe(2);
    expect(refused.report.problems).toEqual([
      expect.stringMatching(/does not answer: HTTP 401: the bearer token was refused/),
    ]);
  }, 30_000);

  it("version shows the client's build and the server's, as text and as kubectl's JSON shape", async () => {
    const client = JSON.parse(readFileSync('dist/build-info.json', 'utf8')) as {
      version: string;
      commit: string;
    };
    const server = buildInfo(); // the in-process aggregator's build, as its /status reports it
    const text = await runCli(['version', '--kubeconfig', kubeconfig]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`^Client Version: ${client.version} \\(commit ${client.commit.slice(0, 12)}`),
    );
    expect(text.stdout).toMatch(
      new RegExp(`\\nServer Version: ${server.version} \\(commit .*replica replica-a\\)`),
    );
    const json = await runCli(['version', '-o', 'json', '--kubeconfig', kubeconfig]);
    expect(JSON.parse(json.stdout)).toEqual({
      clientVersion: {
        ...client,
        platform: `${process.platform}/${process.arch}`,
        nodeVersion: process.version,
      },
      serverVersion: { ...server, replica: 'replica-a' },
    });
  }, 30_000);

  it('version with no aggregator to reach prints the client version, says why on stderr and exits 1', async () => {
    const { code, stdout, stderr } = await runCli([
      'version',
      '-o',
      'yaml',
      '--kubeconfig',
      kubeconfig,
      '--seco-namespace',
      'nowhere',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^clientVersion:\n {2}version: /);
    expect(stdout).not.toContain('serverVersion');
    expect(stderr).toMatch(
      /error: cannot reach the seco aggregator \(service nowhere\/seco-aggregator:http.*\): HTTP 404/,
    );
  }, 30_000);

  it('version --client loads neither the Kubernetes client, NATS, ink nor react', async () => {
    const record = join(dir, 'imports.txt');
    const hooks = `import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(record)}, r.url + '\\n'); return r; }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const { code, stdout } = await runCli(['version', '--client', '-o', 'json'], {
      env: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(register)}` },
    });
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(stdout))).toEqual(['clientVersion']);
    const loaded = readFileSync(record, 'utf8');
    expect(loaded).toContain('/dist/plugin/commands/version.js');
    expect(loaded).not.toMatch(
      /@kubernetes\/client-node|@nats-io|\/node_modules\/ink\/|\/node_modules\/react\/|\/node_modules\/minio\//,
    );
  }, 30_000);

  it('is degraded (exit 1) and says why when nodes have no working agent: an untolerated taint, a pending pod', async () => {
    api.store.put(readyNode('gpu-1', [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]));
    api.store.put(readyNode('node-p'));
    api.store.put(
      agentPod(
        'node-p',
        {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/4 nodes are available: 1 Insufficient memory.',
            },
          ],
        },
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-p'] }] },
                ],
              },
            },
          },
        },
      ),
    );
    api.store.put({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'seco-agent-node-p.1', namespace: AGENTS_NS },
      type: 'Warning',
      reason: 'FailedScheduling',
      message: '0/4 nodes are available: 1 Insufficient memory.',
      lastTimestamp: '2026-12-06T00:00:00Z',
      involvedObject: { kind: 'Pod', name: 'seco-agent-node-p', namespace: AGENTS_NS },
    });
    const { code, report } = await status();
    expect(code).toBe(1);
    expect(report.health).toBe('degraded');
    const byNode = Object.fromEntries(report.agents.perNode.map((n) => [n.node, n]));
    expect(byNode['gpu-1']).toMatchObject({
      agent: 'missing',
      reasons: ['taint dedicated=gpu:NoSchedule not tolerated by the DaemonSet'],
    });
    expect(byNode['node-p']).toMatchObject({
      agent: 'not-ready',
      pod: 'seco-agent-node-p',
      reasons: [
        'pod seco-agent-node-p Pending',
        'PodScheduled false: Unschedulable: 0/4 nodes are available: 1 Insufficient memory.',
        'event FailedScheduling: 0/4 nodes are available: 1 Insufficient memory.',
      ],
    });
    expect(report.agents).toMatchObject({ nodes: 4, ready: 2 });
    const table = await runCli(['status', '--kubeconfig', kubeconfig]);
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      /gpu-1\s+missing\s+-\s+-\s+-\s+-\s+taint dedicated=gpu:NoSchedule not tolerated/,
    );
  }, 30_000);

  it('is not installed (exit 2) without the namespace, or with the namespace but no aggregator Deployment', async () => {
    const none = await status('--seco-namespace', 'seco-elsewhere');
    expect(none.code).toBe(2);
    expect(none.report).toMatchObject({
      health: 'not-installed',
      problems: [expect.stringMatching(/no namespace seco-elsewhere/)],
    });
    api.store.put({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'half-done' },
      status: { phase: 'Active' },
    });
    const half = await status('--seco-namespace', 'half-done');
    expect(half.code).toBe(2);
    expect(half.report.problems).toEqual([
      expect.stringMatching(/no Deployment seco-aggregator in namespace half-done/),
    ]);
    const table = await runCli(['status', '--kubeconfig', kubeconfig, '--seco-namespace', 'seco-elsewhere']);
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/NOT-INSTALLED/);
  }, 30_000);

  it('with the nats-server stopped, the aggregator says NATS is unreachable and status exits 1', async () => {
    // The agents' job loops do not outlive a NATS shutdown (their own concern): stop them first.
    for (const node of [...stack.agents.keys()]) await stack.stopAgent(node);
    await nats.down();
    try {
      const { code, report } = await status();
      expect(code).toBe(1);
      expect(report.aggregator.status?.nats.connected).toBe(false);
      expect(report.problems).toContain(
        `the aggregator cannot reach NATS: ${report.aggregator.status?.nats.error}`,
      );
      const yaml = await runCli(['status', '-o', 'yaml', '--kubeconfig', kubeconfig]);
      expect(yaml.code).toBe(1);
      expect(yaml.stdout).toMatch(/^schema: seco\.status\/v1\nhealth: degraded\n/);
    } finally {
      await nats.up();
    }
  }, 60_000);
});
