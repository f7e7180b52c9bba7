import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { NatsBus } from '../../core/bus/nats/nats-bus.js';
import type { Report } from '../../core/model/index.js';
import { withinTime } from '../../core/service/within-time.js';
import { startNats } from '../../test/harness/nats/start-nats.js';
import { freePort } from '../../test/harness/registry/free-port.js';
import { s3CliFlags, startS3 } from '../../test/harness/s3/start-s3rver.js';
import { type ChildProcess, startProcess } from './child-process.js';
import { connect } from './cluster-trace.js';
import { writeScaleCluster } from './scale-cluster.js';
import { writeBenchmarkSection } from './write-results.js';

// One `scan -A` of a large cluster through the production aggregator binary with real nats-server and
// s3rver: thousands of simulated nodes (synthetic agents, many per process), tens of thousands of
// workloads, thousands of distinct image digests. It must complete with every job accounted for.
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const NODES = flag('nodes', 5_000);
const WORKLOADS = flag('workloads', 20_000);
const IMAGES = flag('images', 5_000);
const AGENT_PROCESSES = flag('agent-processes', 5);
const FINDINGS_PER_JOB = flag('findings', 2);
const WRITE = !args.includes('--no-write');
/** How long the client may take to get the whole report after the last job settled before the run gives up. */
const DELIVER_MINUTES = flag('deliver-minutes', 20);

const count = (n: number) => Math.round(n).toLocaleString('en');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

function metric(text: string, name: string): number {
  const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** Waits until every simulated node's heartbeat is in `seco-agents`: a job for a silent node fails at once. */
async function waitForHeartbeats(natsUrl: string, nodes: number): Promise<number> {
  const bus = await NatsBus.connect(natsUrl, { ackWaitMs: 60_000, maxDeliver: 3 });
  const t0 = performance.now();
  try {
    const kv = await bus.keyValue('seco-agents');
    for (;;) {
      const seen = (await kv.keys()).length;
      if (seen >= nodes) return (performance.now() - t0) / 1000;
      log(`heartbeats: ${seen} of ${nodes}`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  } finally {
    await bus.close();
  }
}

async function main(): Promise<void> {
  const loads = [`start ${load()}`];
  const [nats, s3] = await Promise.all([startNats({ startTimeoutMs: 60_000 }), startS3('seco')]);
  const work = mkdtempSync(join(tmpdir(), 'seco-bench-scale-'));
  const children: ChildProcess[] = [];
  try {
    const t0 = performance.now();
    const cluster = writeScaleCluster(join(work, 'cluster'), {
      nodes: NODES,
      workloads: WORKLOADS,
      images: IMAGES,
    });
    const expectedJobs = cluster.busyNodes * 2 + cluster.images;
    log(
      `cluster: ${count(cluster.objects)} objects, ${count(cluster.busyNodes)} busy nodes, ${count(cluster.images)} images — ${count(expectedJobs)} jobs expected (${((performance.now() - t0) / 1000).toFixed(1)} s to generate)`,
    );
    const s3Flags = s3CliFlags(s3);
    const perProcess = Math.ceil(NODES / AGENT_PROCESSES);
    for (let first = 0; first < NODES; first += perProcess)
      children.push(
        await startProcess(
          'dist/tools/bench/synthetic-nodes.js',
          [
            ...['--first', String(first), '--count', String(Math.min(perProcess, NODES - first))],
            ...['--nats', nats.url, '--findings', String(FINDINGS_PER_JOB)],
            ...s3Flags,
          ],
          /ready/,
        ),
      );
    const heartbeatSeconds = await waitForHeartbeats(nats.url, NODES);
    log(`all ${count(NODES)} nodes heartbeating after ${heartbeatSeconds.toFixed(1)} s`);
    const token = 'bench-scale-token';
    writeFileSync(join(work, 'tokens'), `${token}\n`);
    const metricsPort = await freePort();
    const aggregator = await startProcess(
      'dist/aggregator/main.js',
      [
        ...['--listen', '127.0.0.1:0', '--nats', nats.url, '--kube-from', cluster.dir],
        ...['--metrics-listen', `127.0.0.1:${metricsPort}`],
        ...s3Flags,
        ...['--auth-token-file', join(work, 'tokens'), '--replica-id', 'bench-scale'],
        ...['--continuous', 'false', '--job-timeout', '3600'],
      ],
      /listening (\d+)/,
    );
    children.push(aggregator);
    const port = Number(aggregator.ready[1]);
    const natsBefore = dirBytes(nats.storeDir);
    loads.push(`before the scan ${load()}`);
    const url = `ws://127.0.0.1:${port}/ws`;
    let client = await connect(url, token, []);
    const scanStart = performance.now();
    let lastLog = 0;
    let total = 0;
    let scanId = '';
    let progressMessages = 0;
    let lastAckSeconds: number | undefined;
    const follow = {
      onAccepted: (id: string) => (scanId = id),
      onProgress: (p: {
        jobs: { total: number; acked: number; failed: number; timedOut: number };
        message?: string;
      }) => {
        total = p.jobs.total;
        progressMessages++;
        if (lastAckSeconds === undefined && p.jobs.acked + p.jobs.failed + p.jobs.timedOut >= expectedJobs)
          lastAckSeconds = (performance.now() - scanStart) / 1000;
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(`progress: ${count(p.jobs.acked)} of ${count(p.jobs.total)} jobs acked — ${p.message ?? ''}`);
      },
    };
    let report: Report | undefined;
    let reconnects = 0;
    try {
      report = await client.scan(
        { allNamespaces: true },
        { scanners: ['config', 'image', 'host', 'runtime'], ...follow },
      );
    } catch (error) {
      if (!scanId) throw error;
      log(`client dropped (${(error as Error).message}): reattaching`);
    }
    // A client the aggregator found too slow (its send buffer full) is closed with 1013: it reconnects and
    // attaches again (the scan goes on meanwhile), or reads the stored report once the scan is done.
    let giveUpAt = Number.POSITIVE_INFINITY;
    while (!report) {
      if (lastAckSeconds !== undefined && giveUpAt === Number.POSITIVE_INFINITY)
        giveUpAt = performance.now() + DELIVER_MINUTES * 60_000;
      if (performance.now() > giveUpAt) break;
      client.close();
      reconnects++;
      client = await connect(url, token, []);
      try {
        report = await client.attach(scanId, follow);
      } catch (error) {
        if (/1013|too slow/.test(String(error))) continue;
        report = await withinTime(
          client.getResult(scanId),
          Math.max(1, giveUpAt - performance.now()),
          'results.get',
        ).catch((e) => {
          log(`report not fetched: ${(e as Error).message}`);
          return undefined;
        });
      }
    }
    const scanSeconds = (performance.now() - scanStart) / 1000;
    if (!report) {
      log(`the client did not get the report within ${DELIVER_MINUTES} min of the last ack; stopping`);
      process.exitCode = 1;
    }
    client.close();
    loads.push(`after the scan ${load()}`);
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const jobs = {
      acked: metric(metrics, 'seco_jobs_total{state="acked"}'),
      failed: metric(metrics, 'seco_jobs_total{state="failed"}'),
      timedOut: metric(metrics, 'seco_jobs_total{state="timedOut"}'),
    };
    const aggregatorRss = aggregator.peakRssMiB();
    const aggregatorCpu = aggregator.cpuSeconds();
    const natsAfter = dirBytes(nats.storeDir);
    const accounted = jobs.acked + jobs.failed + jobs.timedOut;
    log(
      `scan done in ${scanSeconds.toFixed(1)} s: ${report ? count(report.findings.length) : 'no'} findings at the client; jobs acked ${jobs.acked}, failed ${jobs.failed}, timed out ${jobs.timedOut} of ${total} (${expectedJobs} planned)`,
    );
    // The feedback rules may add jobs (an image a synthetic finding names): counted in the scan's total.
    // The last progress seen may predate the end (a reattached client): the settled count is the floor.
    total = Math.max(total, accounted);
    const complete =
      report !== undefined && total >= expectedJobs && jobs.acked === total && accounted === total;
    const lines = [
      `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}. Load average (1, 5, 15 min): ${loads.join('; ')} — the machine is shared with other work.`,
      '',
      `One \`scan -A\` (config, image, host and runtime scanners) of a generated cluster: ${count(WORKLOADS)} Deployments (pod specs from the config benchmark's generator) in 50 namespaces, one running pod each, on ${count(NODES)} nodes; ${count(cluster.images)} distinct images with distinct digests; ${count(cluster.objects)} objects read by the aggregator with \`--kube-from\`. The production \`seco-aggregator\` binary in a process of its own; ${count(NODES)} simulated nodes — the production Agent loop per node (queue, heartbeat, S3 result, findings, outcome, ack), ${count(FINDINGS_PER_JOB)} synthetic findings per job — in ${AGENT_PROCESSES} processes; real nats-server (JetStream, one durable consumer per node) and s3rver on loopback.`,
      '',
      '| measure | figure |',
      '| --- | ---: |',
      `| scan.start → last job settled (the first progress message counting every job settled) | ${lastAckSeconds === undefined ? 'not seen' : `${lastAckSeconds.toFixed(1)} s`} |`,
      `| scan.start → merged report at the client | ${report ? `${scanSeconds.toFixed(1)} s` : `not within ${DELIVER_MINUTES} min of the last job (run stopped at ${scanSeconds.toFixed(0)} s)`}${reconnects ? ` (the client was closed as too slow and reattached ${reconnects} time(s))` : ''} |`,
      `| progress messages the client received | ${count(progressMessages)} |`,
      `| jobs: planned (a host job and a runtime snapshot per node, an image job per digest) / in the scan (with the ones feedback rules added) / acked / failed / timed out | ${count(expectedJobs)} / ${count(total)} / ${count(jobs.acked)} / ${count(jobs.failed)} / ${count(jobs.timedOut)} |`,
      `| findings in the report at the client | ${report ? count(report.findings.length) : 'none: not delivered'} |`,
      `| aggregator peak RSS (VmHWM) | ${aggregatorRss.toFixed(0)} MiB |`,
      `| aggregator CPU (start-up, config step, ingest, report) | ${aggregatorCpu.toFixed(1)} s |`,
      `| NATS JetStream store on disk: before the scan (consumers, heartbeats) / after it | ${(natsBefore / 2 ** 20).toFixed(1)} / ${(natsAfter / 2 ** 20).toFixed(1)} MiB |`,
      `| all ${count(NODES)} simulated nodes heartbeating after start | ${heartbeatSeconds.toFixed(1)} s |`,
      '',
      complete
        ? 'Every job was accounted for: all acked, none failed or timed out.'
        : `**Not every job was accounted for**: ${count(total - jobs.acked)} of ${count(total)} not acked.`,
    ];
    const body = lines.join('\n');
    if (WRITE)
      writeBenchmarkSection(
        'docs/benchmarks.md',
        `Scale: \`scan -A\` of a ${count(NODES)}-node cluster (\`npm run bench:scale\`)`,
        body,
      );
    console.log(body);
    if (!complete) process.exitCode = 1;
  } finally {
    for (const child of children.reverse()) await child.stop().catch(() => undefined);
    await nats.stop();
    await s3.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
process.exit(process.exitCode ?? 0);
