import { get } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../core/model/index.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
let stack: RunningStack;

function fetchText(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('two aggregator replicas behind one Service (real NATS and S3)', () => {
  it('a client on the other replica follows a scan to its end, and both serve health, readiness and metrics', async () => {
    stack = servers.use(
      await startStack({
        bus: () => servers.bus(),
        store: servers.store(),
        objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
        nodes: [
          { name: 'node-a', fixture: 'hardened' },
          { name: 'node-b', fixture: 'misconfigured' },
        ],
      }),
    );
    const a = stack.aggregators[0]!;
    const b = await stack.startAggregator('replica-b');
    // Agents away while the scan starts, so the follower on B attaches before anything is done.
    await stack.stopAgent('node-a');
    await stack.stopAgent('node-b');
    const starter = await connectClient(a.url, stack.token);
    let scanId = '';
    const started = starter.scan(
      { namespace: 'wordsmith', selector: 'app' },
      { scanners: ['config', 'host'], onAccepted: (id) => (scanId = id) },
    );
    while (!scanId) await new Promise((r) => setTimeout(r, 20));
    const follower = await connectClient(b.url, stack.token);
    const seen: Finding[] = [];
    const followed = follower.attach(scanId, {
      onFindings: (f) => {
        for (const finding of f) seen.push(finding);
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    await stack.startAgent({ name: 'node-a', fixture: 'hardened' });
    await stack.startAgent({ name: 'node-b', fixture: 'misconfigured' });
    const [fromA, fromB] = await Promise.all([started, followed]);
    starter.close();
    follower.close();
    expect(fromB.scanId).toBe(scanId);
    expect(fromB.findings.map((f) => f.id).sort()).toEqual(fromA.findings.map((f) => f.id).sort());
    // The follower saw the host findings stream in through replica B as they came.
    expect(seen.some((f) => f.scanner === 'host')).toBe(true);
    for (const replica of [a, b]) {
      expect((await fetchText(replica.port, '/healthz')).status).toBe(200);
      expect((await fetchText(replica.port, '/readyz')).status).toBe(200);
    }
    const metrics = await fetchText(a.metricsPort, '/metrics');
    expect(metrics.body).toMatch(/^seco_scans_total\{state="done"\} 1$/m);
    expect(metrics.body).toMatch(/^seco_jobs_total\{state="acked"\} 2$/m);
    expect(metrics.body).toMatch(/^seco_agents_online 2$/m);
    expect(metrics.body).toMatch(/^seco_findings_total\{severity="high"\} \d+$/m);
  }, 60_000);
});
