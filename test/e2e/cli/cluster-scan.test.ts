import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubernetesAccess } from '../../../aggregator/kube-access.js';
import { RequestHeaderSource } from '../../../aggregator/request-header-source.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { ApiKubeView } from '../../../core/kube/api-kube-view.js';
import { loadKubeConfig } from '../../../core/kube/load-kube-config.js';
import { Report } from '../../../core/model/index.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { DEMO_SCAN_ARGS, readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { registerSecoApiService, secoServingCertificates } from '../../harness/cluster/seco-api-service.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';
import { runCli } from './run-cli.js';

/** oclif wraps error messages to the terminal width with `›` margins: join them back into one line. */
const oneLine = (text: string) => text.replace(/·?\n\s*›\s*/g, ' ').replace(/\s+/g, ' ');

let api: RunningKubeApi;
let nats: RunningNats;
let s3: RunningS3;
let stack: RunningStack;
let kubeconfig: string;

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  api = await startKubeApi({
    seed: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
    tokens: { 'alice-token': { username: 'alice', groups: [] } },
    // alice may scan kube-system only, not the demo's namespace, and open a seco session.
    rules: [
      {
        effect: 'allow',
        users: ['alice'],
        apiGroups: ['seco.dev'],
        resources: ['scans', 'findings'],
        namespaces: ['kube-system'],
      },
      { effect: 'allow', users: ['alice'], apiGroups: ['seco.dev'], resources: ['sessions'] },
      { effect: 'deny', users: ['alice'], apiGroups: ['seco.dev'] },
    ],
  });
  kubeconfig = api.kubeconfigPath();
  const kc = loadKubeConfig({ kubeconfig });
  const kube = new ApiKubeView(kc);
  const { ca, serving } = secoServingCertificates();
  stack = await startStack({
    bus: () => NatsBus.connect(nats.url, { ackWaitMs: 5000, maxDeliver: 3 }),
    store: new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: 'seco',
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
    }),
    kube,
    kubeAccess: new KubernetesAccess(kc),
    secureApi: { requestHeader: RequestHeaderSource.fromCluster(kube, () => undefined), tls: serving },
    nodes: [
      { name: 'node-a', fixture: 'hardened' },
      { name: 'node-b', fixture: 'misconfigured' },
    ],
  });
  registerSecoApiService(api, ca.cert, `https://127.0.0.1:${stack.aggregators[0]!.apiPort}`);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
  await nats?.stop();
  await s3?.stop();
});

describe('kubectl seco scan ns/app against a cluster (API server proxy, aggregator, two agents, NATS, S3)', () => {
  let scanned: Report;

  it('scans the demo app across both nodes through the aggregated API with the kubeconfig user', async () => {
    const { code, stdout, stderr } = await runCli([
      ...DEMO_SCAN_ARGS,
      '-o',
      'json',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/scan [0-9a-z]+ started on the seco.dev API/);
    expect(stderr).toMatch(/jobs 2\/2 \(node-a 1\/1, node-b 1\/1\)/);
    scanned = Report.parse(JSON.parse(stdout));
    expect(new Set(scanned.findings.map((f) => f.scanner))).toEqual(new Set(['config', 'host']));
    expect(new Set(scanned.findings.filter((f) => f.scanner === 'host').map((f) => f.resource.node))).toEqual(
      new Set(['node-b']),
    );
    // The three Deployments are the resources, each with its Pod Security level.
    expect(
      scanned.resources
        .filter((r) => r.kind === 'Deployment')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['aggregator', 'noun-api', 'verb-api']);
  }, 60_000);

  it('gates like local mode: --fail-on high exits 1 on the misconfigured node and the privileged sidecar', async () => {
    const { code } = await runCli([
      'scan',
      'wordsmith/aggregator',
      '--scanners',
      'config',
      '--fail-on',
      'high',
      '-q',
      '-o',
      'json',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(code).toBe(1);
  }, 60_000);

  it('lists and prints stored scans with `results`', async () => {
    const listing = await runCli(['results', '--kubeconfig', kubeconfig]);
    expect(listing.code).toBe(0);
    expect(listing.stdout).toContain(scanned.scanId);
    expect(listing.stdout).toContain('wordsmith -l app');
    const one = await runCli(['results', scanned.scanId, '-o', 'json', '--kubeconfig', kubeconfig]);
    expect(one.code).toBe(0);
    expect(Report.parse(JSON.parse(one.stdout)).findings.map((f) => f.id)).toEqual(
      scanned.findings.map((f) => f.id),
    );
  }, 60_000);

  it('an incomplete scan (image jobs that cannot pull) says so in every format and in `results`', async () => {
    // The demo's images are on ghcr.io, which this test's agents cannot reach: every image job fails.
    const args = [
      'scan',
      'wordsmith/verb-api',
      '--scanners',
      'config,image',
      '-q',
      '--kubeconfig',
      kubeconfig,
    ];
    const sarif = await runCli([...args, '-o', 'sarif']);
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toMatch(/^error: image job \S+ on node node-[ab] \(.*\): failed: /m);
    expect(sarif.stderr).toMatch(/incomplete scan: \d+ problems? .*\(exit 2\)/);
    const [invocation] = JSON.parse(sarif.stdout).runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications[0].message.text).toMatch(/^image job \S+ on node node-[ab]/);
    const json = await runCli([...args, '-o', 'json']);
    expect(json.code).toBe(2);
    const report = Report.parse(JSON.parse(json.stdout));
    expect(report.problems.some((p) => /^image job /.test(p.source))).toBe(true);

    const listing = await runCli(['results', '--kubeconfig', kubeconfig]);
    const row = listing.stdout.split('\n').find((l) => l.startsWith(report.scanId));
    expect(listing.stdout).toMatch(/^SCAN\s+STATE\s+FINISHED\s+DURATION\s+C\/H\/M\/L\s+PROBLEMS\s+TARGET$/m);
    expect(row).toMatch(
      new RegExp(
        `^${report.scanId}\\s+incomplete\\s+\\S+\\s+\\d+(ms|s|m\\d\\ds)\\s+[\\d/]+\\s+${report.problems.length}\\s+wordsmith/`,
      ),
    );
    const table = await runCli(['results', report.scanId, '--kubeconfig', kubeconfig]);
    expect(table.code).toBe(2);
    expect(table.stdout).toContain('INCOMPLETE SCAN:');
    expect(table.stdout).toMatch(/^ {2}- image job \S+ on node node-[ab]/m);
  }, 120_000);

  it('adds the /ws path to an --aggregator-url without one', async () => {
    const url = stack.aggregators[0]!.url.replace(/\/ws$/, '');
    const { code } = await runCli(['results', '-o', 'json', '--aggregator-url', url, '--token', stack.token]);
    expect(code).toBe(0);
  }, 60_000);

  it('connects directly with --aggregator-url and a static token', async () => {
    const { code, stdout } = await runCli([
      'scan',
      'wordsmith/verb-api',
      '--scanners',
      'config',
      '-o',
      'json',
      '--aggregator-url',
      stack.aggregators[0]!.url,
      '--token',
      stack.token,
    ]);
    expect(code).toBe(0);
    expect(Report.parse(JSON.parse(stdout)).target.name).toBe('wordsmith/deployment/verb-api');
  }, 60_000);

  it('refuses a user RBAC does not let create scans in the namespace, and a bad token', async () => {
    const alice = await runCli(['scan', 'wordsmith/aggregator', '--kubeconfig', api.kubeconfigPath('alice')]);
    expect(alice.code).toBe(2);
    expect(oneLine(alice.stderr)).toContain('alice may not create scans.seco.dev in namespace wordsmith');
    const bad = await runCli([
      'scan',
      'wordsmith/aggregator',
      '--aggregator-url',
      stack.aggregators[0]!.url,
      '--token',
      'wrong',
    ]);
    expect(bad.code).toBe(2);
    expect(oneLine(bad.stderr)).toContain('the token was not accepted');
    expect(oneLine(bad.stderr)).toContain('--token TOKEN, --token-file FILE or the SECO_TOKEN variable');
  }, 60_000);

  it('names a workload that is not there', async () => {
    const { code, stderr } = await runCli(['scan', 'wordsmith/nope', '--kubeconfig', kubeconfig]);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toContain(
      'no Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ReplicaSet named "nope"',
    );
  }, 60_000);
});
