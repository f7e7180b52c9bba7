import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dump } from 'js-yaml';
import { publishDetection } from '../../agent/runtime-watch.js';
import { NatsBus } from '../../core/bus/nats/nats-bus.js';
import type { Report } from '../../core/model/index.js';
import { S3ObjectStore } from '../../core/store/s3/s3-object-store.js';
import { readManifests, withRunningPods } from '../../test/harness/cluster/demo-cluster.js';
import { buildHostRoot } from '../../test/harness/host/build-host-root.js';
import { startNats } from '../../test/harness/nats/start-nats.js';
import { freePort } from '../../test/harness/registry/free-port.js';
import { s3CliFlags, startS3 } from '../../test/harness/s3/start-s3rver.js';
import { connect } from '../bench/cluster-trace.js';
import { soakDetection } from './soak-detection.js';
import { Supervised } from './supervised.js';

// `npm run soak`: the local stack (nats-server, s3rver, the aggregator and two agents, each a process of its
// own) scanning over and over for `--minutes`, while nats-server, s3rver, the aggregator or an agent is
// killed and started again at random during the scans. Each scan's findings are compared with a fault-free
// baseline; runtime events published all along must all be stored. Any loss exits non-zero.
const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' } },
});
const MINUTES = Number(values.minutes);
let seed = Number(values.seed ?? Date.now() % 1_000_000);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const SCAN_TIMEOUT_MS = 180_000;
const TARGET = { namespace: 'wordsmith', selector: 'app' };
const NODES = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  log(`soak for ${MINUTES} min, seed ${seed}`);
  const [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  const work = mkdtempSync(join(tmpdir(), 'seco-soak-'));
  const cluster = join(work, 'cluster.yaml');
  const objects = withRunningPods(readManifests('examples/demo-app/common'), {
    nodes: NODES.map((n) => n.name),
  });
  writeFileSync(cluster, objects.map((o) => dump(o, { noRefs: true })).join('---\n'));
  const token = 'soak-token';
  writeFileSync(join(work, 'tokens'), `${token}\n`);
  const port = await freePort();
  const s3Flags = s3CliFlags(s3);
  const aggregator = new Supervised(
    'aggregator',
    'dist/aggregator/main.js',
    [
      ...['--listen', `127.0.0.1:${port}`, '--nats', nats.url, '--kube-from', cluster, ...s3Flags],
      ...['--metrics-listen', '127.0.0.1:0'],
      ...['--auth-token-file', join(work, 'tokens'), '--replica-id', 'soak', '--continuous', 'false'],
    ],
    /listening \d+/,
    log,
  );
  const agents = NODES.map((node) => {
    const host = buildHostRoot(node.fixture);
    return new Supervised(
      `agent ${node.name}`,
      'dist/agent/main.js',
      [
        ...['--node', node.name, '--host-root', host.hostRoot, '--proc-root', join(work, 'no-proc')],
        ...[
          '--nats',
          nats.url,
          '--runtime',
          'false',
          '--cache-dir',
          join(work, `cache-${node.name}`),
          ...s3Flags,
        ],
      ],
      /taking jobs from/,
      log,
    );
  });
  const events = await NatsBus.connect(nats.url, { ackWaitMs: 30_000, maxDeliver: 5 });
  const published: string[] = [];
  let notPublished = 0;
  let publishing = true;
  const publisher = (async () => {
    // A runtime detection every 2 s on node-b, through the agent's own publishing path (retried while NATS is away).
    for (let i = 0; publishing; i++) {
      void publishDetection(events, 'node-b', soakDetection('node-b', i))
        .then((id) => published.push(id))
        .catch((error) => {
          notPublished++;
          log(`event ${i} not published: ${(error as Error).message}`);
        });
      await sleep(2000);
    }
  })();
  const faults: Record<string, () => Promise<void>> = {
    'nats-server': () => nats.restart(),
    s3rver: () => s3.restart(),
    aggregator: () => aggregator.kill().then(() => aggregator.start()),
    'agent node-a': () => agents[0]!.kill().then(() => agents[0]!.start()),
    'agent node-b': () => agents[1]!.kill().then(() => agents[1]!.start()),
  };
  const results: Array<{ fault: string; lost: string[]; extra: number; error?: string }> = [];
  try {
    await aggregator.start();
    for (const agent of agents) await agent.start();
    await sleep(12_000); // the agents' first heartbeats reach the aggregator
    const url = `ws://127.0.0.1:${port}/ws`;
    const baseline = await scanThrough(url, token);
    const expected = new Set(baseline.findings.map((f) => f.id));
    log(`baseline: ${expected.size} findings`);
    const end = Date.now() + MINUTES * 60_000;
    while (Date.now() < end) {
      const fault = Object.keys(faults)[Math.floor(random() * Object.keys(faults).length)]!;
      const scan = scanThrough(url, token);
      await sleep(random() * 1500);
      log(`fault: ${fault} killed and started again`);
      const injected = faults[fault]!().catch((error) => log(`fault ${fault}: ${(error as Error).message}`));
      try {
        const report = await scan;
        await injected;
        const got = new Set(report.findings.map((f) => f.id));
        const lost = [...expected].filter((id) => !got.has(id));
        results.push({ fault, lost, extra: [...got].filter((id) => !expected.has(id)).length });
        log(`scan with ${fault}: ${got.size} findings, ${lost.length} lost`);
      } catch (error) {
        await injected;
        results.push({ fault, lost: [...expected], extra: 0, error: (error as Error).message });
        log(`scan with ${fault} failed: ${(error as Error).message}`);
      }
      await aggregator.ensureRunning();
      for (const agent of agents) await agent.ensureRunning();
    }
    publishing = false;
    await publisher;
    const lostEvents = await waitForStoredEvents(s3, published);
    const lostFindings = results.reduce((n, r) => n + r.lost.length, 0);
    const exits = [aggregator, ...agents].map((p) => `${p.name} ${p.unexpectedExits}`).join(', ');
    console.log(
      [
        `soak: ${results.length} scans under faults in ${MINUTES} min (seed ${values.seed ?? 'random'})`,
        ...Object.keys(faults).map((f) => {
          const of = results.filter((r) => r.fault === f);
          return `  ${f}: ${of.length} scans, ${of.filter((r) => r.error).length} failed, ${of.reduce((n, r) => n + r.lost.length, 0)} findings lost`;
        }),
        `lost findings: ${lostFindings}`,
        `lost events: ${lostEvents.length} of ${published.length} published not stored; ${notPublished} never published`,
        `processes that exited on their own (restarted by the soak, as Kubernetes would): ${exits}`,
      ].join('\n'),
    );
    if (lostFindings > 0 || lostEvents.length + notPublished > 0) process.exitCode = 1;
  } finally {
    publishing = false;
    await events.close().catch(() => undefined);
    for (const p of [...agents, aggregator]) await p.kill();
    await nats.stop();
    await s3.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** A scan that outlives its client: reattached after a dropped connection, its stored report read once done. */
async function scanThrough(url: string, token: string): Promise<Report> {
  const deadline = Date.now() + SCAN_TIMEOUT_MS;
  let scanId = '';
  for (;;) {
    try {
      const client = await connect(url, token, []);
      try {
        if (!scanId)
          return await client.scan(TARGET, {
            scanners: ['config', 'host'],
            onAccepted: (id) => (scanId = id),
          });
        return await client.attach(scanId).catch(() => client.getResult(scanId));
      } finally {
        client.close();
      }
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`scan ${scanId || '(not accepted)'}: ${(error as Error).message}`);
      await sleep(1000);
    }
  }
}

/** The published events' ids missing from the object store after up to a minute. */
async function waitForStoredEvents(
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string },
  ids: readonly string[],
): Promise<string[]> {
  const store = new S3ObjectStore(s3);
  let missing = [...ids];
  for (let i = 0; i < 60 && missing.length > 0; i++) {
    const stored = new Set<string>();
    for await (const key of store.list('events/')) stored.add(/([^/]+)\.ndjson\.gz$/.exec(key)?.[1] ?? '');
    missing = ids.filter((id) => !stored.has(id));
    if (missing.length > 0) await sleep(1000);
  }
  return missing;
}

await main();
process.exit(process.exitCode ?? 0);
