import { describe, expect, it } from '@jest/globals';
import { runJob } from '../../../agent/run-job.js';
import { type Finding, fingerprint } from '../../../core/model/index.js';
import type { Job } from '../../../core/protocol/index.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
let stack: RunningStack;

const DRIFTED_IMAGE = `registry.invalid/shop/web@sha256:${'ab'.repeat(32)}`;
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];
const target = { namespace: 'wordsmith', selector: 'app' };

/**
 * The agents run their real jobs, except that a runtime snapshot also "sees" a critical alert in a pod
 * (the fixture nodes run no containers): the finding the built-in rule
 * `runtime-alert-rescans-image-and-node` turns into an image rescan and a host scan. Image jobs are
 * recorded and answered empty — these tests are about which jobs the aggregator queues, not pulls.
 */
function recordingAgents(handed: Job[]) {
  return async (job: Job, context: Parameters<typeof runJob>[1], now: Date): Promise<Finding[]> => {
    handed.push(job);
    if (job.kind === 'image') return [];
    const result = await runJob(job, context, now);
    const found = Array.isArray(result) ? result : result.findings;
    if (job.kind !== 'runtime') return found;
    const resource = {
      namespace: 'wordsmith',
      kind: 'Pod',
      name: 'web-0',
      node: job.node,
      image: DRIFTED_IMAGE,
    };
    const at = now.toISOString();
    const alert: Finding = {
      id: fingerprint('terminal-shell-in-container', resource),
      scanner: 'runtime',
      ruleId: 'terminal-shell-in-container',
      title: 'A shell was run in a container',
      severity: 'critical',
      resource,
      evidence: 'sh -i [pid 4242]',
      references: [],
      firstSeen: at,
      lastSeen: at,
      status: 'open',
    };
    return [...found, alert];
  };
}

async function scanWith(scanners: Array<'config' | 'host' | 'runtime' | 'image'>) {
  const handed: Job[] = [];
  stack = servers.use(
    await startStack({
      bus: () => servers.bus(),
      store: servers.store(),
      objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
      nodes,
      agent: { runJob: recordingAgents(handed) },
    }),
  );
  const client = await connectClient(stack.aggregators[0]!.url, stack.token);
  const report = await client.scan(target, { scanners });
  client.close();
  return { report, handed };
}

describe('feedback inside a scan is bounded by its --scanners (real NATS and S3)', () => {
  it('a runtime alert does not add an image job to a config,host,runtime scan, and the scan is clean of errors', async () => {
    const { report, handed } = await scanWith(['config', 'host', 'runtime']);
    expect(report.findings.some((f) => f.ruleId === 'terminal-shell-in-container')).toBe(true);
    expect(handed.filter((j) => j.kind === 'image')).toEqual([]);
    expect(new Set(handed.map((j) => j.kind))).toEqual(new Set(['host', 'runtime']));
    expect(report.problems.filter((p) => p.kind !== 'warning')).toEqual([]);
  }, 60_000);

  it('the same alert does add the image rescan when the scan includes images', async () => {
    const { handed } = await scanWith(['config', 'host', 'runtime', 'image']);
    // One runtime snapshot per node, each with the alert: the rescan is asked on each node.
    const rescans = handed.filter((j) => j.kind === 'image' && j.image === DRIFTED_IMAGE);
    expect(new Set(rescans.map((j) => j.node))).toEqual(new Set(['node-a', 'node-b']));
  }, 60_000);
});
