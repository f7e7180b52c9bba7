import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { nmap } from '../../../core/tools/adapters/nmap.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runServiceTools } from '../../../core/tools/service-tools-job.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { startStack } from '../../harness/cluster/start-stack.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import { startWeakListeners, type WeakListeners } from '../../harness/tls/weak-listeners.js';

let listeners: WeakListeners;
let tlsPort: number;
let debugPort: number;

beforeAll(async () => {
  requireTool('nmap', 'nmap');
  requireTool('sslscan', 'sslscan');
  // The Service's endpoints: TLS 1.0 still accepted and self-signed, and a port no container declares.
  listeners = await startWeakListeners('tls-web.wordsmith.svc');
  ({ tlsPort, plainPort: debugPort } = listeners);
});
afterAll(async () => {
  await listeners?.close();
});

/** The app: a Deployment declaring its TLS port, and its Service whose ClusterIP is the test's listener. */
function tlsWebApp(): KubeObject[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'tls-web', namespace: 'wordsmith', labels: { app: 'tls-web' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'tls-web' } },
        template: {
          metadata: { labels: { app: 'tls-web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'ghcr.io/wordsmith/tls-web:1.0.0',
                ports: [{ name: 'https', containerPort: tlsPort }],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'tls-web', namespace: 'wordsmith' },
      spec: {
        selector: { app: 'tls-web' },
        clusterIP: '127.0.0.1',
        ports: [
          { name: 'https', port: tlsPort, targetPort: 'https' },
          { name: 'debug', port: debugPort, targetPort: debugPort },
        ],
      },
    },
  ];
}

describe('scan ns/app --scanners nmap,sslscan (service tools in the cluster)', () => {
  it('the seco-tools runner probes only the app’s Services from the API server: undeclared port, weak TLS', async () => {
    const bus = new MemoryBus({ ackWaitMs: 120_000, maxDeliver: 3 });
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-service-tools-')));
    const audit = new AuditMemory();
    const stack = await startStack({
      bus: async () => sharedBus(bus),
      store,
      objects: withRunningPods([...readManifests('examples/demo-app/common'), ...tlsWebApp()], {
        nodes: ['node-a'],
      }),
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      jobTimeoutMs: 300_000,
      // A seco-tools replica takes the Service tool jobs (node _services, queue _services/tools).
      agent: { toolAudit: audit.sink, serviceNetworks: ['127.0.0.0/8'], serviceTools: true },
    });
    try {
      const client = await connectClient(stack.aggregators[0]!.url, stack.token);
      const report = await client.scan(
        { namespace: 'wordsmith', kind: 'Deployment', name: 'tls-web' },
        { scanners: ['nmap', 'sslscan'] },
      );
      client.close();
      expect(report.problems.filter((p) => p.kind !== 'warning')).toEqual([]);
      const undeclared = report.findings.filter((f) => f.ruleId === 'tool:nmap/undeclared-open-port');
      expect(undeclared.map((f) => f.evidence)).toEqual([
        expect.stringContaining(`127.0.0.1:${debugPort}/tcp open`),
      ]);
      expect(undeclared[0]!.resource).toMatchObject({
        kind: 'Service',
        namespace: 'wordsmith',
        name: 'tls-web',
      });
      const tls = report.findings.filter((f) => f.scanner === 'tool:sslscan').map((f) => f.ruleId);
      expect(tls).toEqual(
        expect.arrayContaining(['tool:sslscan/protocol-tls1.0', 'tool:sslscan/certificate-self-signed']),
      );
      // Only the named tools ran: no seco scanner, no node tools.
      expect(new Set(report.findings.map((f) => f.scanner))).toEqual(new Set(['tool:nmap', 'tool:sslscan']));
      // Only the Service's own address was ever given to a tool.
      const approved = audit.records.filter((r) => r.event === 'approved');
      expect(approved.length).toBeGreaterThan(0);
      for (const r of approved) expect(r.args?.join(' ')).toMatch(/127\.0\.0\.1/);
      const raw: string[] = [];
      for await (const key of store.list(`scans/${report.scanId}/tools/`)) raw.push(key);
      expect(raw.some((k) => k.includes('/nmap/wordsmith.tls-web.'))).toBe(true);
      expect(raw.some((k) => k.includes('/sslscan/wordsmith.tls-web.'))).toBe(true);
    } finally {
      await stack.stop();
    }
  }, 400_000);

  it('a job naming an address outside the Service networks never reaches a tool', async () => {
    const audit = new AuditMemory();
    const executor = new SecureExecutor({ tools: await installedTools([nmap]), audit: audit.sink });
    const hostile = ['169.254.169.254', '8.8.8.8', '127.0.0.1'].map((clusterIP, i) => ({
      namespace: 'shop',
      name: `svc-${i}`,
      clusterIP,
      ports: [443],
      declaredPorts: [],
    }));
    const result = await runServiceTools(['nmap', 'lynis'], hostile, { executor, now: new Date() });
    expect(result.findings).toEqual([]);
    expect(result.problems).toEqual([
      'tool lynis: not a service tool',
      "Service shop/svc-0: ClusterIP 169.254.169.254 is outside the cluster's Service networks: not probed",
      "Service shop/svc-1: ClusterIP 8.8.8.8 is outside the cluster's Service networks: not probed",
      "Service shop/svc-2: ClusterIP 127.0.0.1 is outside the cluster's Service networks: not probed",
    ]);
    expect(audit.records).toEqual([]);
    await expect(
      runServiceTools(['nmap'], hostile, { executor, now: new Date(), networks: ['10.0.0.0/33'] }),
    ).rejects.toThrow(/service network "10.0.0.0\/33": not an address\/prefix CIDR/);
  });
});
