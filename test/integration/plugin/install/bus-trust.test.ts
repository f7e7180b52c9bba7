import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { evaluatePodSecurity } from '../../../../core/config/pss/index.js';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import { containersOf, podTemplateOf } from '../../../../core/kube/pod-template.js';
import type { KubeObject } from '../../../../core/kube/types.js';
import { installStack, uninstallStack } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { renderStack } from '../../../../plugin/install/render-stack.js';
import { settingsFromFlags } from '../../../../plugin/install/settings-from-flags.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';

// Every install makes NATS keys and certificates (seconds each on a loaded machine).
jest.setTimeout(180_000);

// `kubectl seco install` and the bus's trust (issue 11): Secrets per component, rotation, mounts, the two
// namespaces' Pod Security levels and the NetworkPolicies, against the API harness.
const SYS = 'seco-system';
const AGENTS = 'seco-agents';

let api: RunningKubeApi;
let kc: KubeConfig;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

const stack = (extra: Record<string, unknown> = {}) =>
  renderStack(manifestsDir(), settingsFromFlags({ namespace: SYS, ...extra }, '0.1.0'));
interface Volume {
  name: string;
  secret?: { secretName: string; items?: unknown[] };
  projected?: { sources: unknown[] };
}
interface Policy {
  podSelector?: unknown;
  policyTypes?: string[];
  ingress?: Array<{ from?: unknown[]; ports: Array<{ port: number }> }>;
  egress?: unknown[];
}
const labelsOf = (o: KubeObject | undefined) => (o?.metadata?.labels ?? {}) as Record<string, string>;
const find = (kind: string, namespace: string, name: string): KubeObject | undefined => {
  const apiVersion = { Secret: 'v1', Namespace: 'v1', ConfigMap: 'v1', ServiceAccount: 'v1' }[kind];
  const group = kind === 'NetworkPolicy' ? 'networking.k8s.io/v1' : 'apps/v1';
  return api.store.find(apiVersion ?? group, kind, namespace, name);
};
const secretData = (namespace: string, name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries((find('Secret', namespace, name)?.data ?? {}) as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
const podSpec = (kind: string, namespace: string, name: string) =>
  podTemplateOf(find(kind, namespace, name)!)!.spec as unknown as {
    volumes: Volume[];
    containers: Array<{
      name: string;
      env: Array<{ name: string; value?: string }>;
      volumeMounts: Array<{ name: string; mountPath: string }>;
      args?: string[];
    }>;
  };
const env = (kind: string, namespace: string, name: string) =>
  Object.fromEntries(podSpec(kind, namespace, name).containers[0]!.env.map((e) => [e.name, e.value]));

beforeAll(async () => {
  // An install of the one-namespace layout: the agent DaemonSet in seco-system, NATS' ConfigMap, the old policy.
  const old = (apiVersion: string, kind: string, name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion,
    kind,
    metadata: { name, namespace: SYS, labels: { 'app.kubernetes.io/part-of': 'seco' } },
    ...extra,
  });
  api = await startKubeApi({
    seed: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: SYS, labels: { 'app.kubernetes.io/part-of': 'seco' } },
      },
      old('apps/v1', 'DaemonSet', 'seco-agent', {
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: {
            metadata: { labels: { a: 'b' } },
            spec: { containers: [{ name: 'agent', image: 'x:1' }] },
          },
        },
      }),
      old('v1', 'ServiceAccount', 'seco-agent'),
      old('v1', 'ConfigMap', 'seco-nats-config', { data: { 'nats.conf': 'port: 4222\n' } }),
      old('networking.k8s.io/v1', 'NetworkPolicy', 'seco-default-deny-ingress', {
        spec: { podSelector: {} },
      }),
    ],
  });
  kc = loadKubeConfig({ kubeconfig: api.kubeconfigPath() });
}, 60_000);
afterAll(async () => api?.stop());

describe('install: the bus trust and the two namespaces', () => {
  let first: Record<string, Record<string, string>>;

  it('upgrades the one-namespace layout: agents move to their own namespace, the old objects go', async () => {
    await installStack(await stack({ 'metrics-namespace': ['prometheus'] }), { kc, log });
    expect(find('DaemonSet', AGENTS, 'seco-agent')).toBeDefined();
    for (const [kind, name] of [
      ['DaemonSet', 'seco-agent'],
      ['ServiceAccount', 'seco-agent'],
      ['ConfigMap', 'seco-nats-config'],
      ['NetworkPolicy', 'seco-default-deny-ingress'],
    ] as const) {
      expect(find(kind, SYS, name)).toBeUndefined();
      expect(lines).toContain(`${kind}/${SYS}/${name} deleted (left by an earlier install's layout)`);
    }
    expect(lines).toContain('new bus keys (NATS operator, accounts, users), new CA and certificates');
  });

  it('stores each component only what it reads, in its own namespace', () => {
    first = {
      keys: secretData(SYS, 'seco-bus-keys'),
      nats: secretData(SYS, 'seco-nats-tls'),
      minio: secretData(SYS, 'seco-minio-tls'),
      aggregator: secretData(SYS, 'seco-aggregator-bus'),
      agent: secretData(AGENTS, 'seco-agent-bus'),
    };
    expect(Object.keys(first.keys!).sort()).toEqual(['aggregator.creds', 'enroll.creds', 'nats-trust.json']);
    expect(Object.keys(first.nats!).sort()).toEqual(['ca.crt', 'nats.conf', 'tls.crt', 'tls.key']);
    expect(Object.keys(first.minio!).sort()).toEqual(['ca.crt', 'private.key', 'public.crt']);
    expect(Object.keys(first.aggregator!).sort()).toEqual(['aggregator.creds', 'ca.crt', 'nats-trust.json']);
    // Agents: the CA and the bootstrap user, nothing that signs: no account key, no server key.
    expect(Object.keys(first.agent!).sort()).toEqual(['ca.crt', 'enroll.creds']);
    expect(JSON.stringify(first.agent)).not.toMatch(/signingSeed|PRIVATE KEY|SA[A-Z2-7]{56}/);
    expect(find('Secret', AGENTS, 'seco-bus-keys')).toBeUndefined();
    // seco-tools enrolls as the agents do (its own service account makes it the Service tools' user).
    const tools = secretData(SYS, 'seco-tools-bus');
    expect(tools).toEqual({ 'ca.crt': first.agent!['ca.crt'], 'enroll.creds': first.agent!['enroll.creds'] });

    const conf = first.nats!['nats.conf']!;
    const trust = JSON.parse(first.keys!['nats-trust.json']!);
    expect(conf).toContain(`operator: ${JSON.stringify(trust.operatorJwt)}`);
    expect(conf).toMatch(/^resolver: MEMORY$/m);
    expect(conf).toContain('cert_file: "/etc/nats/tls.crt"');
    expect(conf).toContain('http_port: 8222');
    expect(conf).not.toContain(trust.signingSeed);

    // Certificates chain to the install's CA and name the Services from both namespaces.
    const ca = new X509Certificate(first.agent!['ca.crt']!);
    for (const [pem, service] of [
      [first.nats!['tls.crt']!, 'seco-nats'],
      [first.minio!['public.crt']!, 'seco-minio'],
    ] as const) {
      const cert = new X509Certificate(pem);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkHost(`${service}.${SYS}.svc`)).toBe(`${service}.${SYS}.svc`);
      expect(cert.checkHost(service)).toBe(service);
    }
  });

  it('mounts them: NATS, Minio and the aggregator their Secret, agents the CA, enrollment and a bound token', () => {
    const nats = podSpec('StatefulSet', SYS, 'seco-nats');
    expect(nats.volumes).toContainEqual(
      expect.objectContaining({
        name: 'config',
        secret: expect.objectContaining({ secretName: 'seco-nats-tls' }),
      }),
    );
    expect(nats.containers[0]!.volumeMounts).toContainEqual(
      expect.objectContaining({ name: 'config', mountPath: '/etc/nats' }),
    );

    const minio = podSpec('StatefulSet', SYS, 'seco-minio');
    expect(minio.containers[0]!.args).toEqual(expect.arrayContaining(['--certs-dir', '/etc/minio/certs']));
    const minioTls = minio.volumes.find((v) => v.name === 'tls')!;
    expect(minioTls.secret!.secretName).toBe('seco-minio-tls');
    expect(minioTls.secret!.items).toContainEqual({ key: 'ca.crt', path: 'CAs/ca.crt' });

    const aggregator = podSpec('Deployment', SYS, 'seco-aggregator');
    expect(aggregator.volumes).toContainEqual(
      expect.objectContaining({
        name: 'bus',
        secret: expect.objectContaining({ secretName: 'seco-aggregator-bus' }),
      }),
    );
    expect(env('Deployment', SYS, 'seco-aggregator')).toMatchObject({
      SECO_NATS: `tls://seco-nats.${SYS}.svc:4222`,
      SECO_NATS_CREDS: '/etc/seco/bus/aggregator.creds',
      SECO_NATS_TRUST: '/etc/seco/bus/nats-trust.json',
      SECO_TLS_CA: '/etc/seco/bus/ca.crt',
      SECO_S3_ENDPOINT: `https://seco-minio.${SYS}.svc:9000`,
      SECO_AGENT_SERVICE_ACCOUNT: `system:serviceaccount:${AGENTS}:seco-agent`,
    });

    const agent = podSpec('DaemonSet', AGENTS, 'seco-agent');
    expect(agent.volumes).toContainEqual(
      expect.objectContaining({
        name: 'bus',
        secret: expect.objectContaining({ secretName: 'seco-agent-bus' }),
      }),
    );
    const token = agent.volumes.find((v) => v.name === 'enroll-token')!;
    expect(token.projected!.sources).toEqual([
      { serviceAccountToken: { audience: 'seco-aggregator', expirationSeconds: 3600, path: 'token' } },
    ]);
    const agentEnv = env('DaemonSet', AGENTS, 'seco-agent');
    expect(agentEnv).toMatchObject({
      SECO_NATS: `tls://seco-nats.${SYS}.svc:4222`,
      SECO_TLS_CA: '/etc/seco/bus/ca.crt',
      SECO_NATS_ENROLL_CREDS: '/etc/seco/bus/enroll.creds',
      SECO_ENROLL_TOKEN_FILE: '/var/run/secrets/seco/token',
    });
    expect(Object.keys(agentEnv).filter((k) => k.startsWith('SECO_S3_') || k === 'SECO_NATS_CREDS')).toEqual(
      [],
    );
    const mounts = Object.fromEntries(agent.containers[0]!.volumeMounts.map((m) => [m.name, m.mountPath]));
    expect(mounts).toMatchObject({ bus: '/etc/seco/bus', 'enroll-token': '/var/run/secrets/seco' });

    // The tools runners: the agent pod's `tools` container (the node's user) and seco-tools (the Service
    // tools' user), on the same TLS NATS with the same enrollment; the aggregator knows seco-tools' account.
    const enrolled = {
      SECO_NATS: `tls://seco-nats.${SYS}.svc:4222`,
      SECO_TLS_CA: '/etc/seco/bus/ca.crt',
      SECO_NATS_ENROLL_CREDS: '/etc/seco/bus/enroll.creds',
      SECO_ENROLL_TOKEN_FILE: '/var/run/secrets/seco/token',
    };
    const sidecar = agent.containers.find((c) => c.name === 'tools')!;
    expect(Object.fromEntries(sidecar.env.map((e) => [e.name, e.value]))).toMatchObject(enrolled);
    expect(sidecar.volumeMounts.map((m) => m.name)).toEqual(expect.arrayContaining(['bus', 'enroll-token']));
    expect(env('Deployment', SYS, 'seco-tools')).toMatchObject(enrolled);
    const tools = podSpec('Deployment', SYS, 'seco-tools');
    expect(tools.volumes).toContainEqual(
      expect.objectContaining({
        name: 'bus',
        secret: expect.objectContaining({ secretName: 'seco-tools-bus' }),
      }),
    );
    expect(tools.volumes.find((v) => v.name === 'enroll-token')!.projected!.sources).toEqual([
      { serviceAccountToken: { audience: 'seco-aggregator', expirationSeconds: 3600, path: 'token' } },
    ]);
    expect(env('Deployment', SYS, 'seco-aggregator')).toMatchObject({
      SECO_TOOLS_SERVICE_ACCOUNT: `system:serviceaccount:${SYS}:seco-tools`,
    });
  });

  it('labels seco-system restricted and only the agents namespace privileged', () => {
    const level = (name: string) =>
      labelsOf(find('Namespace', '', name))['pod-security.kubernetes.io/enforce'];
    expect(level(SYS)).toBe('restricted');
    expect(level(AGENTS)).toBe('privileged');
    const privileged = api.store
      .all()
      .filter((o) => o.kind === 'Namespace')
      .filter((n) => labelsOf(n)['pod-security.kubernetes.io/enforce'] === 'privileged');
    expect(privileged.map((n) => n.metadata?.name)).toEqual([AGENTS]);
  });

  it("runs every seco pod in seco-system at Pod Security restricted, by seco's own checks", () => {
    const workloads = api.store
      .all()
      .filter(
        (o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind!) && o.metadata?.namespace === SYS,
      );
    expect(workloads.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual([
      'Deployment/seco-aggregator',
      'Deployment/seco-tools',
      'StatefulSet/seco-minio',
      'StatefulSet/seco-nats',
    ]);
    for (const workload of workloads) {
      const { level, violations } = evaluatePodSecurity(workload);
      expect({
        workload: workload.metadata?.name,
        level,
        violations: violations.map((v) => v.check.id),
      }).toEqual({
        workload: workload.metadata?.name,
        level: 'restricted',
        violations: [],
      });
    }
    // The agent does not meet it, which is why it lives elsewhere.
    expect(evaluatePodSecurity(find('DaemonSet', AGENTS, 'seco-agent')!).level).toBe('privileged');
  });

  it('limits who reaches whom with NetworkPolicies', () => {
    const policy = (namespace: string, name: string) =>
      find('NetworkPolicy', namespace, name)!.spec as Policy;
    for (const ns of [SYS, AGENTS])
      expect(policy(ns, 'seco-default-deny')).toEqual({
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
    const fromSeco = [
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'aggregator', 'app.kubernetes.io/part-of': 'seco' },
        },
      },
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': AGENTS } },
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/part-of': 'seco' },
        },
      },
      {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/name': 'tools', 'app.kubernetes.io/part-of': 'seco' },
        },
      },
    ];
    for (const [name, port] of [
      ['seco-nats', 4222],
      ['seco-minio', 9000],
    ] as const) {
      expect(policy(SYS, name).ingress).toEqual([{ from: fromSeco, ports: [{ protocol: 'TCP', port }] }]);
      expect(policy(SYS, name).egress).toEqual([]);
    }
    const aggregator = policy(SYS, 'seco-aggregator').ingress!;
    const byPort = Object.fromEntries(aggregator.map((r) => [r.ports[0]!.port, r.from]));
    expect(byPort[8443]).toBeUndefined(); // any source: the API server's address differs per cluster
    expect(Object.keys(byPort).map(Number).sort()).toEqual([8080, 8443, 9090]);
    expect(byPort[8080]).toEqual([
      { namespaceSelector: {}, podSelector: { matchLabels: { 'seco.dev/alert-sender': 'true' } } },
    ]);
    expect(byPort[9090]).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prometheus' } } },
    ]);
    const agentEgress = policy(AGENTS, 'seco-agent-egress');
    expect(agentEgress.policyTypes).toEqual(['Egress']);
    expect(JSON.stringify(agentEgress)).not.toContain('6443');
    // seco-tools: NATS, Minio, DNS, and pods anywhere (the Services' backends) — no address block, so no
    // node, API server, metadata endpoint or internet address.
    const toolsEgress = policy(SYS, 'seco-tools-egress') as Policy & { egress: unknown[] };
    expect(toolsEgress.policyTypes).toEqual(['Egress']);
    expect(toolsEgress.egress).toEqual(
      expect.arrayContaining([
        { ports: [{ protocol: 'TCP', port: 4222 }] },
        { ports: [{ protocol: 'TCP', port: 9000 }] },
        { to: [{ namespaceSelector: {} }] },
      ]),
    );
    expect(JSON.stringify(toolsEgress)).not.toMatch(/ipBlock|6443/);
  });

  it('re-install keeps the NATS operator/account keys and users, and renews every certificate', async () => {
    lines.length = 0;
    await installStack(await stack(), { kc, log });
    expect(lines[0]).toMatch(/^bus keys kept \(Secret seco-system\/seco-bus-keys/);
    const keys = secretData(SYS, 'seco-bus-keys');
    expect(keys).toEqual(first.keys);
    expect(secretData(SYS, 'seco-aggregator-bus')['aggregator.creds']).toBe(
      first.aggregator!['aggregator.creds'],
    );
    expect(secretData(AGENTS, 'seco-agent-bus')['enroll.creds']).toBe(first.agent!['enroll.creds']);
    expect(secretData(SYS, 'seco-nats-tls')['nats.conf']).toBe(first.nats!['nats.conf']);
    expect(secretData(AGENTS, 'seco-agent-bus')['ca.crt']).not.toBe(first.agent!['ca.crt']);
    expect(secretData(SYS, 'seco-nats-tls')['tls.crt']).not.toBe(first.nats!['tls.crt']);
    expect(secretData(SYS, 'seco-minio-tls')['private.key']).not.toBe(first.minio!['private.key']);
    // The pods roll onto the new CA together.
    const fingerprint = (o: KubeObject | undefined) =>
      (podTemplateOf(o!)!.metadata as { annotations?: Record<string, string> }).annotations?.[
        'seco.dev/bus-trust'
      ];
    const now = fingerprint(find('DaemonSet', AGENTS, 'seco-agent'));
    expect(now).toMatch(/^[0-9a-f]{16}$/);
    for (const [kind, name] of [
      ['Deployment', 'seco-aggregator'],
      ['StatefulSet', 'seco-nats'],
      ['StatefulSet', 'seco-minio'],
    ])
      expect(fingerprint(find(kind!, SYS, name!))).toBe(now);
  });

  it('--rotate-bus-keys makes new operator/account keys too', async () => {
    const before = secretData(SYS, 'seco-bus-keys');
    lines.length = 0;
    await installStack(await stack(), { kc, log, rotateBusKeys: true });
    const after = secretData(SYS, 'seco-bus-keys');
    expect(JSON.parse(after['nats-trust.json']!).account).not.toBe(
      JSON.parse(before['nats-trust.json']!).account,
    );
    expect(after['enroll.creds']).not.toBe(before['enroll.creds']);
  });

  it('refuses a tampered bus-keys Secret instead of silently making new keys', async () => {
    const secret = find('Secret', SYS, 'seco-bus-keys')!;
    const data = secret.data as Record<string, string>;
    const original = { ...data };
    api.store.put({
      ...secret,
      data: { ...data, 'nats-trust.json': Buffer.from('{"operatorJwt": 1}').toString('base64') },
    });
    await expect(installStack(await stack(), { kc, log })).rejects.toThrow(
      /^Secret seco-system\/seco-bus-keys: nats-trust.json is not seco's NATS trust .*--rotate-bus-keys/,
    );
    // A user of another account (pieced together from two installs) is refused too.
    const other = secretData(SYS, 'seco-bus-keys');
    api.store.put({
      ...secret,
      data: {
        ...original,
        'enroll.creds': Buffer.from(
          other['aggregator.creds']!.replace(/eyJ[^\n]+/, 'eyJhbGciOiJub25lIn0.e30.x'),
        ).toString('base64'),
      },
    });
    await expect(installStack(await stack(), { kc, log })).rejects.toThrow(
      /enroll.creds is not a NATS .creds file of account/,
    );
    api.store.put({ ...secret, data: original });
  });

  it('uninstall removes the Secrets and the agents namespace; --keep-data keeps the bus keys', async () => {
    lines.length = 0;
    await uninstallStack(await stack(), { kc, log, keepData: true });
    expect(find('Secret', SYS, 'seco-bus-keys')).toBeDefined();
    for (const name of ['seco-nats-tls', 'seco-minio-tls', 'seco-aggregator-bus'])
      expect(lines).toContain(`Secret/${SYS}/${name} deleted`);
    expect(lines).toContain(`Secret/${AGENTS}/seco-agent-bus deleted`);
    expect(lines).toContain(`Namespace/${AGENTS} deleted`);
    lines.length = 0;
    await uninstallStack(await stack(), { kc, log });
    expect(lines).toContain(`Secret/${SYS}/seco-bus-keys deleted`);
  });
});

describe('install flags', () => {
  it("refuses an agents namespace equal to seco's, and bad namespace names", () => {
    expect(() => settingsFromFlags({ namespace: SYS, 'agent-namespace': SYS }, '0.1.0')).toThrow(
      /--agent-namespace seco-system: must differ from --namespace/,
    );
    expect(() => settingsFromFlags({ namespace: SYS, 'metrics-namespace': ['Bad_NS'] }, '0.1.0')).toThrow(
      /--metrics-namespace "Bad_NS": not a namespace name/,
    );
  });

  it('moves the agents and every reference to them with --agent-namespace', async () => {
    const base = await stack({ 'agent-namespace': 'nodes' });
    const ds = base.objects.find((o) => o.kind === 'DaemonSet')!;
    expect(ds.metadata?.namespace).toBe('nodes');
    const aggregator = base.objects.find((o) => o.kind === 'Deployment')!;
    const env = containersOf(podTemplateOf(aggregator)!.spec)[0]!.container.env!;
    expect(env).toContainEqual({
      name: 'SECO_AGENT_SERVICE_ACCOUNT',
      value: 'system:serviceaccount:nodes:seco-agent',
    });
  });
});
