import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Agent } from '../../agent/agent.js';
import { NatsBus } from '../../core/bus/nats/nats-bus.js';
import type { Finding } from '../../core/model/index.js';
import type { Job } from '../../core/protocol/index.js';
import { S3ObjectStore } from '../../core/store/s3/s3-object-store.js';

// A node agent for `bench:cluster`'s ingest measure: the production Agent loop (queue, S3 result,
// published findings, outcome, ack) in a process of its own, whose every job returns a large synthetic
// result, so the aggregator's ingest is measured as a cluster would load it.

/** What an agent would report for a big image: distinct vulnerable-package findings, ~600 bytes each. */
export function syntheticFindings(job: Job, count: number): Finding[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    id: createHash('sha256').update(`${job.scanId}/${job.jobId}/${i}`).digest('hex').slice(0, 16),
    scanner: 'image' as const,
    ruleId: `CVE-2026-${String(10_000 + (i % 90_000))}`,
    title: `libexample${i % 500} ${i % 7}.${i % 13}.${i % 3} is affected by CVE-2026-${10_000 + (i % 90_000)}`,
    severity: (['critical', 'high', 'medium', 'low'] as const)[i % 4]!,
    resource: {
      kind: 'Image',
      name: `registry.example/app/${job.node}`,
      node: job.node,
      image: `registry.example/app@sha256:${'0'.repeat(64)}`,
    },
    package: {
      name: `libexample${i % 500}`,
      version: `${i % 7}.${i % 13}.${i % 3}`,
      fixedVersion: `${i % 7}.${i % 13}.${(i % 3) + 1}`,
    },
    evidence: `dpkg libexample${i % 500} ${i % 7}.${i % 13}.${i % 3} (source libexample)`,
    remediation: `Upgrade libexample${i % 500} to ${i % 7}.${i % 13}.${(i % 3) + 1} or later.`,
    references: [
      {
        kind: 'cve' as const,
        id: `CVE-2026-${10_000 + (i % 90_000)}`,
        url: `https://osv.dev/vulnerability/CVE-2026-${10_000 + (i % 90_000)}`,
      },
    ],
    firstSeen: at,
    lastSeen: at,
    status: 'open' as const,
  }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      node: { type: 'string' },
      nats: { type: 'string' },
      's3-endpoint': { type: 'string' },
      's3-bucket': { type: 'string' },
      's3-access-key': { type: 'string' },
      's3-secret-key': { type: 'string' },
      findings: { type: 'string' },
    },
  });
  const count = Number(values.findings ?? 25_000);
  const bus = await NatsBus.connect(values.nats!, { ackWaitMs: 120_000, maxDeliver: 5 });
  const store = new S3ObjectStore({
    endpoint: values['s3-endpoint']!,
    bucket: values['s3-bucket']!,
    accessKey: values['s3-access-key']!,
    secretKey: values['s3-secret-key']!,
  });
  const agent = new Agent({
    bus,
    store,
    node: values.node!,
    hostRoot: '/nonexistent',
    procRoot: '/nonexistent',
    pollMs: 1000,
    runJob: async (job) => syntheticFindings(job, count),
  });
  agent.start();
  process.stdout.write('ready\n');
  process.once(
    'SIGTERM',
    () =>
      void agent
        .stop()
        .then(() => bus.close())
        .then(() => process.exit(0)),
  );
}

if (process.argv[1]?.endsWith('synthetic-agent.js')) await main();
