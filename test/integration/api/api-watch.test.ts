import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Finding, summarize } from '../../../core/model/index.js';
import type { ReportHeader } from '../../../core/protocol/index.js';
import { AggregatorClient } from '../../../plugin/cluster/aggregator-client.js';
import { openAggregatedApiSocket } from '../../../plugin/cluster/service-proxy-socket.js';
import { runCli } from '../../e2e/cli/run-cli.js';
import {
  type AggregatedSeco,
  demoClusterWithAlertPod,
  startAggregatedSeco,
} from '../../harness/cluster/aggregated-seco.js';
import { DEMO_SCAN_ARGS } from '../../harness/cluster/demo-cluster.js';
import { postFalco } from '../../harness/cluster/post-falco.js';
import { kubectl, kubectlRunning } from '../harness/run-kubectl.js';

/**
 * Watches of seco.dev through the API harness's aggregation layer with the real kubectl (`kubectl get
 * scans|findings|events.seco.dev -w`: resourceVersion, ADDED/MODIFIED, 410 Gone, RBAC verb `watch`), and a
 * filtered user's live `scan.done`: counted over what that user may see, over the WebSocket and in the
 * Scan objects the API serves. Users: alice reads wordsmith; carol too, and may get node node-b and watch
 * shop's events; bob may list wordsmith's scans but not watch them.
 */
const TOKENS = {
  alice: 'alice-token-0c1d',
  carol: 'carol-token-9e8f',
  bob: 'bob-token-5a6b',
  falco: 'falco-token-3c4d',
};
const SECO = ['seco.dev'];

let seco: AggregatedSeco;
const kubeconfig = (user?: string) => seco.api.kubeconfigPath(user);

beforeAll(async () => {
  seco = await startAggregatedSeco({
    seed: demoClusterWithAlertPod(),
    tokens: {
      [TOKENS.alice]: { username: 'alice', groups: [] },
      [TOKENS.carol]: { username: 'carol', groups: [] },
      [TOKENS.bob]: { username: 'bob', groups: [] },
      [TOKENS.falco]: { username: 'system:serviceaccount:falco:falco', groups: [] },
    },
    rules: [
      { effect: 'allow', users: ['alice', 'carol'], apiGroups: SECO, namespaces: ['wordsmith'] },
      { effect: 'allow', users: ['alice', 'carol', 'bob'], apiGroups: SECO, resources: ['sessions'] },
      {
        effect: 'allow',
        users: ['carol'],
        apiGroups: SECO,
        resources: ['events'],
        verbs: ['list', 'watch'],
        namespaces: ['shop'],
      },
      { effect: 'allow', users: ['carol'], apiGroups: [''], resources: ['nodes'], names: ['node-b'] },
      {
        effect: 'allow',
        users: ['bob'],
        apiGroups: SECO,
        resources: ['scans'],
        verbs: ['get', 'list'],
        namespaces: ['wordsmith'],
      },
      {
        effect: 'allow',
        users: ['system:serviceaccount:falco:falco'],
        apiGroups: SECO,
        resources: ['alerts'],
        verbs: ['create'],
      },
      { effect: 'deny', apiGroups: SECO, users: ['alice', 'carol', 'bob'] },
      { effect: 'deny', resources: ['nodes'], users: ['alice', 'carol', 'bob'] },
    ],
    users: ['alice', 'carol', 'bob'],
  });
}, 90_000);

afterAll(async () => {
  await seco?.stop();
});

/** The demo scan as `user` over the plugin's session, every message the aggregator sent recorded. */
async function scanAs(
  user: string,
): Promise<{ done: { scanId: string; report: ReportHeader }; findings: Finding[] }> {
  const { socket } = await openAggregatedApiSocket({ kubeconfig: kubeconfig(user) });
  const received: Array<{ type: string; scanId?: string; findings?: Finding[]; report?: ReportHeader }> = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString())));
  const client = new AggregatorClient(socket);
  try {
    await client.hello(undefined);
    await client.scan({ namespace: 'wordsmith', selector: 'app' }, { scanners: ['config', 'host'] });
  } finally {
    socket.close();
  }
  const done = received.find((m) => m.type === 'scan.done') as { scanId: string; report: ReportHeader };
  const findings = received
    .filter((m) => m.type === 'findings' && m.scanId === done.scanId)
    .flatMap((m) => m.findings ?? []);
  return { done, findings };
}

const hostNodes = (findings: Finding[]) =>
  [...new Set(findings.filter((f) => f.scanner === 'host').map((f) => f.resource.node))].sort();

async function scanObject(user: string | undefined, scanId: string) {
  const got = await kubectl(kubeconfig(user), ['get', 'scans', scanId, '-n', 'wordsmith', '-o', 'json']);
  expect(got.stderr).toBe('');
  return JSON.parse(got.stdout) as { status: { summary?: Record<string, number> } };
}

describe('a filtered user’s live scan.done counts only what they may see', () => {
  it('over the WebSocket session and in the Scan objects, for two users of different RBAC', async () => {
    const [alice, carol] = await Promise.all([scanAs('alice'), scanAs('carol')]);
    // alice may see no node: no host finding, and the closing counts are over what she got.
    expect(hostNodes(alice.findings)).toEqual([]);
    expect(alice.findings.length).toBeGreaterThan(0);
    expect(alice.done.report.summary).toEqual(summarize(alice.findings));
    expect(alice.done.report.findingCount).toBe(alice.findings.length);
    expect(alice.done.report.resources.some((r) => r.kind === 'Node')).toBe(false);
    // carol may get node-b: its host findings, not node-a's, and counts over exactly those.
    expect(hostNodes(carol.findings)).toEqual(['node-b']);
    expect(carol.done.report.summary).toEqual(summarize(carol.findings));
    expect(carol.done.report.findingCount).toBe(carol.findings.length);

    // Through the aggregated API: the same scan counts differently per reader, the admin sees it whole.
    const whole = (await scanObject(undefined, carol.done.scanId)).status.summary!;
    const asCarol = (await scanObject('carol', carol.done.scanId)).status.summary!;
    const asAlice = (await scanObject('alice', carol.done.scanId)).status.summary!;
    expect(asCarol).toEqual(carol.done.report.summary);
    expect(asAlice).toEqual(alice.done.report.summary);
    const total = (s: Record<string, number>) => Object.values(s).reduce((a, b) => a + b, 0);
    // node-a is hardened (no failing host check), so carol's share of it is nothing either way.
    expect(total(whole)).toBe(total(asCarol));
    expect(whole).toEqual(carol.done.report.summary);
    expect(total(asCarol)).toBeGreaterThan(total(asAlice));
  }, 120_000);
});

describe('kubectl get -w on seco.dev', () => {
  it('follows a scan and its findings from the list’s resourceVersion, ADDED then MODIFIED to Done', async () => {
    // kubectl's `-o json` wraps a list into a List of its own (no version): the raw list carries it.
    const listed = await kubectl(kubeconfig(), [
      'get',
      '--raw',
      '/apis/seco.dev/v1alpha1/namespaces/wordsmith/scans',
    ]);
    const listVersion = JSON.parse(listed.stdout).metadata.resourceVersion as string;
    expect(listVersion).toMatch(/^\d+$/);
    const scans = kubectlRunning(kubeconfig('alice'), ['get', 'scans', '-n', 'wordsmith', '-w']);
    const findings = kubectlRunning(kubeconfig('alice'), [
      'get',
      'findings.seco.dev',
      '-n',
      'wordsmith',
      '-w',
    ]);
    try {
      // Watching has begun once the list is printed (the earlier scans are in it).
      await scans.waitFor(/^NAME\s+TARGET\s+PHASE/m);
      const run = await runCli([...DEMO_SCAN_ARGS, '-o', 'json', '--kubeconfig', kubeconfig('alice')]);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as { scanId: string; findings: Finding[] };
      await scans.waitFor(new RegExp(`^${report.scanId}\\s+wordsmith -l app\\s+Done`, 'm'));
      // A finding of this scan in its namespace reached alice's findings watch.
      const ids = report.findings.filter((f) => f.resource.namespace === 'wordsmith').map((f) => f.id);
      await findings.waitFor(new RegExp(ids.slice(0, 20).join('|')));
      expect(findings.output().stdout).not.toMatch(/\shost\s+\S+\s*$/m); // the SCANNER column

      // The same changes as a raw watch from the list's version: every one after it, in order.
      const raw = await kubectl(kubeconfig(), [
        'get',
        '--raw',
        `/apis/seco.dev/v1alpha1/namespaces/wordsmith/scans?watch=1&resourceVersion=${listVersion}&timeoutSeconds=2`,
      ]);
      const events = raw.stdout
        .trim()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as {
              type: string;
              object: { metadata: { name: string; resourceVersion: string }; status: { phase: string } };
            },
        );
      const ofScan = events.filter((e) => e.object.metadata.name === report.scanId);
      expect(ofScan[0]!.type).toBe('ADDED');
      expect(ofScan.at(-1)).toMatchObject({ type: 'MODIFIED', object: { status: { phase: 'Done' } } });
      const versions = events.map((e) => BigInt(e.object.metadata.resourceVersion));
      expect(versions.every((v, i) => v > BigInt(listVersion) && (i === 0 || v > versions[i - 1]!))).toBe(
        true,
      );
    } finally {
      await scans.stop();
      await findings.stop();
    }
  }, 120_000);

  it('answers 410 Gone (Expired) to a watch from a resourceVersion older than it keeps', async () => {
    const old = await kubectl(kubeconfig(), [
      'get',
      '--raw',
      '/apis/seco.dev/v1alpha1/namespaces/wordsmith/scans?watch=1&resourceVersion=5',
    ]);
    expect(old.code).not.toBe(0);
    expect(old.stderr).toMatch(/Expired|too old resource version/);
  });

  it('needs RBAC verb watch: bob may list scans but not watch them; nobody watches another namespace', async () => {
    const listed = await kubectl(kubeconfig('bob'), ['get', 'scans', '-n', 'wordsmith']);
    expect(listed.code).toBe(0);
    const watched = await kubectl(kubeconfig('bob'), ['get', 'scans', '-n', 'wordsmith', '-w'], 20_000);
    expect(watched.code).not.toBe(0);
    expect(watched.stderr).toMatch(/cannot watch resource "scans"/);
    const elsewhere = await kubectl(kubeconfig('alice'), ['get', 'findings.seco.dev', '-n', 'shop', '-w']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/forbidden/i);
  }, 60_000);

  it('streams runtime events with `kubectl get events.seco.dev -w` to those who may watch them', async () => {
    const denied = await kubectl(kubeconfig('alice'), ['get', 'events.seco.dev', '-n', 'shop', '-w']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/cannot (list|watch) resource "events"/);
    const events = kubectlRunning(kubeconfig('carol'), ['get', 'events.seco.dev', '-n', 'shop', '-w']);
    try {
      const alert = JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8'));
      alert.hostname = 'node-a';
      alert.time = new Date().toISOString();
      expect(await postFalco(seco.stack.aggregators[0]!.port, TOKENS.falco, JSON.stringify(alert))).toBe(202);
      const printed = await events.waitFor(/Terminal shell in container|runtime\S*shell/i, 30_000);
      expect(printed).toMatch(/Pod\/web-7d9|web-7d9/);
      // The AWS key on the alert's command line is masked before it reaches anyone.
      expect(printed).not.toContain('wJalrXUtnFEMI');
    } finally {
      await events.stop();
    }
  }, 60_000);
});
