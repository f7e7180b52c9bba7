import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Report } from '../../../core/model/index.js';
import {
  issueCertificate,
  type KeyPairPem,
  newCertificateAuthority,
} from '../../../core/tls/forge-certificate.js';
import { runCli } from '../../e2e/cli/run-cli.js';
import { spawnCli } from '../../e2e/cli/spawn-cli.js';
import {
  type AggregatedSeco,
  demoClusterWithAlertPod,
  startAggregatedSeco,
} from '../../harness/cluster/aggregated-seco.js';
import { DEMO_SCAN_ARGS } from '../../harness/cluster/demo-cluster.js';
import { ALERT_POD_IMAGE } from '../../harness/cluster/falco-alert-pod.js';
import { SECO_SERVICE_DNS } from '../../harness/cluster/seco-api-service.js';
import type { RunningStack } from '../../harness/cluster/start-stack.js';
import type { RunningKubeApi } from '../../harness/kube-api/start-kube-api.js';
import type { WireTap } from '../../harness/kube-api/wire-tap.js';
import { kubectl, kubectlRunning } from '../harness/run-kubectl.js';

/**
 * seco's API as a Kubernetes aggregated API, end to end: the real kubectl and `kubectl seco` against the
 * API harness, whose aggregation layer proxies /apis/seco.dev/v1alpha1 to the aggregator over TLS with
 * the front-proxy certificate — through a wire tap that records what reaches the aggregator. Each attack
 * of issue 11 on this path is tried and does no harm.
 */
const ALICE = 'alice-secret-token-4f1d';
const BOB = 'bob-secret-token-77aa';
const FALCO = 'falco-sender-token-9c2e';
const MALLORY = 'mallory-pod-token-0b3c';

let seco: AggregatedSeco;
let api: RunningKubeApi;
let stack: RunningStack;
let tap: WireTap;
let servingCa: KeyPairPem;
let apiPort: number;

beforeAll(async () => {
  seco = await startAggregatedSeco({
    seed: demoClusterWithAlertPod(),
    tokens: {
      [ALICE]: { username: 'alice', groups: ['dev'] },
      [BOB]: { username: 'bob', groups: [] },
      [FALCO]: { username: 'system:serviceaccount:falco:falco', groups: ['system:serviceaccounts'] },
      [MALLORY]: { username: 'system:serviceaccount:default:mallory', groups: ['system:serviceaccounts'] },
    },
    // RBAC as the ClusterRoles would grant it: alice is seco-scanner in wordsmith; bob may open a session
    // and list scans but not read findings; the Falco sender may create alerts; nobody here sees nodes.
    rules: [
      {
        effect: 'allow',
        users: ['alice'],
        apiGroups: ['seco.dev'],
        resources: ['scans', 'findings', 'events'],
        namespaces: ['wordsmith'],
      },
      {
        effect: 'allow',
        users: ['alice', 'bob'],
        apiGroups: ['seco.dev'],
        resources: ['sessions'],
        verbs: ['get'],
      },
      {
        effect: 'allow',
        users: ['bob'],
        apiGroups: ['seco.dev'],
        resources: ['scans'],
        verbs: ['get', 'list'],
      },
      {
        effect: 'allow',
        users: ['system:serviceaccount:falco:falco'],
        apiGroups: ['seco.dev'],
        resources: ['alerts'],
        verbs: ['create'],
      },
      {
        effect: 'deny',
        apiGroups: ['seco.dev'],
        users: ['alice', 'bob', 'system:serviceaccount:falco:falco', 'system:serviceaccount:default:mallory'],
      },
      { effect: 'deny', resources: ['nodes'], users: ['alice', 'bob'] },
    ],
    users: ['alice', 'bob'],
    tap: true,
  });
  ({ api, stack, servingCa, apiPort } = seco);
  tap = seco.tap!;
}, 60_000);

afterAll(async () => {
  await seco?.stop();
});

/** An HTTPS request straight to the aggregator's API port, with the given client certificate (or none). */
function direct(
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string | string[]>;
    cert?: KeyPairPem;
    body?: string;
  } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: apiPort,
        path,
        method: options.method ?? 'GET',
        headers: { accept: 'application/json', ...options.headers },
        ca: servingCa.cert,
        servername: SECO_SERVICE_DNS,
        ...(options.cert ? { cert: options.cert.cert, key: options.cert.key } : {}),
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let aliceScan: Report;

describe('kubectl seco through the aggregated API seco.dev', () => {
  it('scans as the kubeconfig user; nothing of the user’s credentials reaches the aggregator', async () => {
    tap.requests.length = 0;
    const { code, stdout, stderr } = await runCli([
      ...DEMO_SCAN_ARGS,
      '-o',
      'json',
      '--kubeconfig',
      api.kubeconfigPath('alice'),
    ]);
    expect(stderr).toContain('the seco.dev API');
    expect(code).toBe(0);
    aliceScan = Report.parse(JSON.parse(stdout));
    expect(
      aliceScan.findings.some((f) => f.scanner === 'config' && f.resource.namespace === 'wordsmith'),
    ).toBe(true);
    const session = tap.requests.find((r) => r.url === '/apis/seco.dev/v1alpha1/sessions/client');
    expect(session?.headers['x-remote-user']).toBe('alice');
    expect(session?.headers['x-remote-group']).toEqual(expect.stringContaining('dev'));
    expect(session?.headers.authorization).toBeUndefined();
    const hello = session!.messages.map((m) => JSON.parse(m)).find((m) => m.type === 'hello');
    expect(hello).toBeDefined();
    expect(hello.token).toBeUndefined();
    // Nothing that reached the aggregator — any header, any message — holds alice's token.
    expect(JSON.stringify(tap.requests)).not.toContain(ALICE);
  }, 60_000);

  it('shows a pod reader no host findings of the nodes: alice may not get nodes, the admin may', async () => {
    expect(aliceScan.findings.some((f) => f.scanner === 'host')).toBe(false);
    const asAdmin = await runCli([
      'results',
      aliceScan.scanId,
      '-o',
      'json',
      '--kubeconfig',
      api.kubeconfigPath(),
    ]);
    expect(asAdmin.code).toBe(0);
    const full = Report.parse(JSON.parse(asAdmin.stdout));
    expect(full.findings.some((f) => f.scanner === 'host' && f.resource.node === 'node-b')).toBe(true);
  }, 60_000);

  it('serves `kubectl get scans` and `kubectl get findings.seco.dev` from the object store, as tables', async () => {
    const scans = await kubectl(api.kubeconfigPath('alice'), ['get', 'scans', '-n', 'wordsmith']);
    expect(scans.stderr).toBe('');
    expect(scans.code).toBe(0);
    expect(scans.stdout).toMatch(/^NAME\s+TARGET\s+PHASE\s+CRITICAL\s+HIGH\s+AGE/);
    expect(scans.stdout).toMatch(new RegExp(`^${aliceScan.scanId}\\s+wordsmith -l app\\s+Done`, 'm'));
    const findings = await kubectl(api.kubeconfigPath('alice'), [
      'get',
      'findings.seco.dev',
      '-n',
      'wordsmith',
    ]);
    expect(findings.code).toBe(0);
    expect(findings.stdout).toMatch(/^NAME\s+SEVERITY\s+RULE\s+RESOURCE\s+SCANNER\s+AGE/);
    const ids = aliceScan.findings.map((f) => f.id);
    expect(ids.some((id) => findings.stdout.includes(id))).toBe(true);
    const one = await kubectl(api.kubeconfigPath('alice'), [
      'get',
      'scans',
      aliceScan.scanId,
      '-n',
      'wordsmith',
      '-o',
      'json',
    ]);
    expect(JSON.parse(one.stdout)).toMatchObject({
      kind: 'Scan',
      metadata: { name: aliceScan.scanId, namespace: 'wordsmith' },
    });
    // Not alice's namespace: RBAC says no.
    const elsewhere = await kubectl(api.kubeconfigPath('alice'), ['get', 'scans', '-n', 'kube-system']);
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/Forbidden|forbidden/);
  }, 60_000);

  it('sends no user credential with results, listings or watches either (every path the plugin and kubectl take)', async () => {
    tap.requests.length = 0;
    const alice = api.kubeconfigPath('alice');
    expect((await runCli(['results', '--kubeconfig', alice])).code).toBe(0);
    expect((await runCli(['results', aliceScan.scanId, '-o', 'json', '--kubeconfig', alice])).code).toBe(0);
    const watch = kubectlRunning(alice, ['get', 'scans', '-n', 'wordsmith', '-w']);
    try {
      await watch.waitFor(new RegExp(aliceScan.scanId));
    } finally {
      await watch.stop();
    }
    const sessions = tap.requests.filter((r) => r.url === '/apis/seco.dev/v1alpha1/sessions/client');
    expect(sessions.length).toBe(2);
    expect(tap.requests.some((r) => r.url.includes('watch='))).toBe(true);
    for (const request of tap.requests) {
      expect(request.headers['x-remote-user']).toBe('alice');
      expect(request.headers.authorization).toBeUndefined();
    }
    for (const message of sessions.flatMap((r) => r.messages))
      expect(JSON.parse(message).token).toBeUndefined();
    expect(JSON.stringify(tap.requests)).not.toContain(ALICE);
  }, 60_000);

  it('refuses findings to a user without `findings` access, at the API server and at the aggregator', async () => {
    const viaKubectl = await kubectl(api.kubeconfigPath('bob'), [
      'get',
      'findings.seco.dev',
      '-n',
      'wordsmith',
    ]);
    expect(viaKubectl.code).not.toBe(0);
    expect(viaKubectl.stderr).toMatch(/forbidden/i);
    const results = await runCli([
      'results',
      aliceScan.scanId,
      '-o',
      'json',
      '--kubeconfig',
      api.kubeconfigPath('bob'),
    ]);
    expect(results.code).not.toBe(0);
    expect(results.stderr).toMatch(/bob may not read scan/);
    // A watch the aggregator refuses ends with the reason, rather than sitting connected and silent.
    const watch = spawnCli([
      'watch',
      '-o',
      'json',
      '-n',
      'wordsmith',
      '--kubeconfig',
      api.kubeconfigPath('bob'),
    ]);
    try {
      expect(await watch.exitWithin(30_000)).toBe(2);
      expect(watch.stderr()).toMatch(/bob may not watch those namespaces/);
    } finally {
      await watch.stop('SIGKILL');
    }
    // The aggregator checks on its own (SubjectAccessReview), whatever the API server let through.
    const asBob = await direct('/apis/seco.dev/v1alpha1/namespaces/wordsmith/findings', {
      cert: api.aggregation.proxyClient,
      headers: { 'X-Remote-User': 'bob' },
    });
    expect(asBob.status).toBe(403);
    expect(JSON.parse(asBob.body)).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
  }, 60_000);
});

describe('front-proxy headers are believed only from the API server’s client certificate', () => {
  const forged = { 'X-Remote-User': 'kubernetes-admin', 'X-Remote-Group': ['system:masters'] };
  const path = '/apis/seco.dev/v1alpha1/namespaces/wordsmith/findings';

  it('ignores them without a client certificate', async () => {
    const answer = await direct(path, { headers: forged });
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain(aliceScan.findings[0]!.id);
  });

  it('ignores them with a certificate another CA signed, even named front-proxy-client', async () => {
    const otherCa = newCertificateAuthority('front-proxy-ca');
    const cert = issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, otherCa);
    expect((await direct(path, { headers: forged, cert })).status).toBe(401);
  });

  it('ignores them with a certificate the requestheader CA signed for a name not allowed', async () => {
    const cert = issueCertificate(
      { commonName: 'someone-else', usage: 'client' },
      api.aggregation.requestHeaderCa,
    );
    const answer = await direct(path, { headers: forged, cert });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).message).toMatch(/someone-else.*not allowed/);
  });

  it('believes them from the front-proxy certificate', async () => {
    const answer = await direct(path, { headers: forged, cert: api.aggregation.proxyClient });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).kind).toBe('FindingList');
  });

  it('drops the caller’s own front-proxy headers at the API server', async () => {
    tap.requests.length = 0;
    // bob may list scans; he adds headers claiming to be the admin, as a raw client can.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${api.url}/apis/seco.dev/v1alpha1/namespaces/wordsmith/scans`,
        {
          headers: { authorization: `Bearer ${BOB}`, 'X-Remote-Extra-Scopes': 'all', ...forged },
          rejectUnauthorized: false,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const reached = tap.requests.find((r) => r.url.endsWith('/scans'));
    expect(reached?.headers['x-remote-user']).toBe('bob');
    expect(String(reached?.headers['x-remote-group'])).not.toContain('system:masters');
    expect(reached?.headers['x-remote-extra-scopes']).toBeUndefined();
    expect(reached?.headers.authorization).toBeUndefined();
  });
});

describe('alerts: only from allowed senders, only about what the cluster runs', () => {
  const alert = () =>
    JSON.parse(
      JSON.stringify({
        rule: 'Terminal shell in container',
        priority: 'Critical',
        time: new Date().toISOString(),
        hostname: 'node-a',
        output: 'shell in web',
        output_fields: {
          'k8s.ns.name': 'shop',
          'k8s.pod.name': 'web-7d9',
          'container.name': 'web',
          'container.image.repository': 'evil.example:5000/bait',
          'container.image.tag': 'latest',
        },
      }),
    );

  const post = async (token: string, body: unknown) => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(
        `${api.url}/apis/seco.dev/v1alpha1/alerts`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          rejectUnauthorized: false,
        },
        (r) => {
          let text = '';
          r.on('data', (d) => (text += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    return res;
  };

  /**
   * What feedback scans asked for, followed on the scan buckets as they are written: a feedback scan whose
   * jobs fail at once (no registry here) is deleted within a few hundred milliseconds, so polling the live
   * records could miss it.
   */
  interface FeedbackSeen {
    scans: Set<string>;
    /** Each job's every stored state, by its key. */
    jobs: Map<string, { scanId: string; kind: string; image?: string; text: string }>;
    stop(): void;
  }
  async function followFeedback(): Promise<FeedbackSeen> {
    const bus = stack.aggregators[0]!.bus;
    const seen: FeedbackSeen = { scans: new Set(), jobs: new Map(), stop: () => undefined };
    const parse = (value: Uint8Array) => JSON.parse(Buffer.from(value).toString('utf8'));
    const stopHeaders = await (await bus.keyValue('seco-scans')).watch((key, value) => {
      if (value && key.startsWith('scans.') && parse(value).requestedBy?.startsWith('feedback:'))
        seen.scans.add(key.slice('scans.'.length));
    });
    const stopJobs = await (await bus.keyValue('seco-scan-jobs')).watch((key, value) => {
      if (!value) return;
      const job = parse(value);
      const text = `${seen.jobs.get(key)?.text ?? ''}\n${JSON.stringify(job)}`;
      seen.jobs.set(key, { scanId: key.split('.')[0]!, kind: job.kind, image: job.image, text });
    });
    seen.stop = () => {
      stopHeaders();
      stopJobs();
    };
    return seen;
  }
  const feedbackJobs = (seen: FeedbackSeen) =>
    [...seen.jobs.values()].filter((j) => seen.scans.has(j.scanId));

  it('refuses a forged alert from a caller without create alerts: API server, aggregator and POST /falco', async () => {
    const seen = await followFeedback();
    expect((await post(MALLORY, { kind: 'Alert', spec: alert() })).status).toBe(403);
    const direct403 = await direct('/apis/seco.dev/v1alpha1/alerts', {
      method: 'POST',
      cert: api.aggregation.proxyClient,
      headers: {
        'X-Remote-User': 'system:serviceaccount:default:mallory',
        'content-type': 'application/json',
      },
      body: JSON.stringify(alert()),
    });
    expect(direct403.status).toBe(403);
    // The plain port's /falco: the token is a valid service-account token (TokenReview passes), RBAC says no.
    const falco = await fetch(`http://127.0.0.1:${stack.aggregators[0]!.port}/falco`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MALLORY}`, 'content-type': 'application/json' },
      body: JSON.stringify(alert()),
    });
    expect(falco.status).toBe(403);
    await new Promise((r) => setTimeout(r, 500)); // a feedback scan, had one started, would have been written
    seen.stop();
    expect(seen.scans.size).toBe(0);
  });

  it('refuses an alert about a pod that does not exist, or that runs on another node', async () => {
    const seen = await followFeedback();
    const ghost = alert();
    ghost.output_fields['k8s.pod.name'] = 'ghost';
    const elsewhere = alert();
    elsewhere.hostname = 'node-b';
    const answer = await post(FALCO, [ghost, elsewhere]);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatch(/pod shop\/ghost does not exist/);
    expect(answer.body).toMatch(/pod shop\/web-7d9 runs on node node-a, not node-b/);
    await new Promise((r) => setTimeout(r, 500));
    seen.stop();
    expect(seen.scans.size).toBe(0);
  });

  it('takes an alert about a real pod, and its rescan uses the image the cluster says the pod runs', async () => {
    const seen = await followFeedback();
    const answer = await post(FALCO, { kind: 'Alert', spec: alert() });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body).status).toEqual({ accepted: 1, refused: [] });
    const images = () => feedbackJobs(seen).flatMap((j) => (j.kind === 'image' && j.image ? [j.image] : []));
    const deadline = Date.now() + 15_000;
    while (images().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    seen.stop();
    expect(images()).toEqual([ALERT_POD_IMAGE]);
    expect(
      feedbackJobs(seen)
        .map((j) => j.kind)
        .sort(),
    ).toEqual(['host', 'image']);
    expect(
      feedbackJobs(seen)
        .map((j) => j.text)
        .join('\n'),
    ).not.toContain('evil.example');
  }, 30_000);
});
