import { parseArgs } from 'node:util';
import { Agent } from '../../agent/agent.js';
import { NatsBus } from '../../core/bus/nats/nats-bus.js';
import { S3ObjectStore } from '../../core/store/s3/s3-object-store.js';
import { nodeName } from './scale-cluster.js';
import { syntheticFindings } from './synthetic-agent.js';

// Many simulated nodes in one process for `bench:scale`: one production Agent loop per node (its own
// queue, heartbeat, S3 result, published findings, outcome, ack) sharing one NATS connection and one S3
// client, each job answered with a few synthetic findings — a 5,000-node cluster in a handful of processes.

const START_BATCH = 20;
const START_PAUSE_MS = 400;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      first: { type: 'string' },
      count: { type: 'string' },
      nats: { type: 'string' },
      's3-endpoint': { type: 'string' },
      's3-bucket': { type: 'string' },
      's3-access-key': { type: 'string' },
      's3-secret-key': { type: 'string' },
      findings: { type: 'string' },
      'poll-ms': { type: 'string' },
    },
  });
  const first = Number(values.first ?? 0);
  const count = Number(values.count ?? 1000);
  const findings = Number(values.findings ?? 2);
  const bus = await NatsBus.connect(values.nats!, { ackWaitMs: 120_000, maxDeliver: 5 });
  const store = new S3ObjectStore({
    endpoint: values['s3-endpoint']!,
    bucket: values['s3-bucket']!,
    accessKey: values['s3-access-key']!,
    secretKey: values['s3-secret-key']!,
  });
  let logged = 0;
  // The agents' own log lines (a failed heartbeat, a job not stored): the first few shown, all counted.
  const log = (line: string) => {
    if (++logged <= 5) process.stderr.write(`synthetic nodes from ${first}: ${line}\n`);
  };
  const agents = Array.from(
    { length: count },
    (_, i) =>
      new Agent({
        bus,
        store,
        node: nodeName(first + i),
        hostRoot: '/nonexistent',
        procRoot: '/nonexistent',
        pollMs: Number(values['poll-ms'] ?? 5000),
        log,
        runJob: async (job) => syntheticFindings(job, findings),
      }),
  );
  // Started in small batches: a thousand agents opening their KV bucket and creating their queue's consumer
  // at once time out the server's JetStream API (as a thousand DaemonSet pods never start in one instant).
  for (let i = 0; i < agents.length; i += START_BATCH) {
    for (const agent of agents.slice(i, i + START_BATCH)) agent.start();
    await new Promise((r) => setTimeout(r, START_PAUSE_MS));
  }
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void Promise.all(agents.map((a) => a.stop()))
      .then(() => bus.close())
      .then(() => {
        process.stderr.write(`nodes ${first}..${first + count - 1}: ${logged} agent log line(s)\n`);
        process.exit(0);
      });
  });
}

if (process.argv[1]?.endsWith('synthetic-nodes.js')) await main();
