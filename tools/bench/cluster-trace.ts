import type { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import type { KubeView, ListOptions } from '../../core/kube/kube-view.js';
import type { ObjectStore, PutOptions } from '../../core/store/object-store.js';
import { AggregatorClient } from '../../plugin/cluster/aggregator-client.js';

// Where a cluster scan's time goes, from the client's, the store's and the kube view's point of view.

const now = () => performance.now();

/** Every store call's key and span, so the report can say what the S3 writes and reads cost. */
export interface StoreCall {
  op: 'put' | 'get';
  key: string;
  start: number;
  end: number;
  bytes: number;
}

export function timedStore(inner: ObjectStore, calls: StoreCall[]): ObjectStore {
  return {
    async put(key: string, body: Uint8Array | string | Readable, options?: PutOptions) {
      const start = now();
      await inner.put(key, body, options);
      const bytes =
        typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.length : 0;
      calls.push({ op: 'put', key, start, end: now(), bytes });
    },
    async get(key: string) {
      const start = now();
      const body = await inner.get(key);
      calls.push({ op: 'get', key, start, end: now(), bytes: body?.length ?? 0 });
      return body;
    },
    getStream: (key) => inner.getStream(key),
    stat: (key) => inner.stat(key),
    list: (prefix) => inner.list(prefix),
    delete: (key) => inner.delete(key),
  };
}

export interface KubeCall {
  kind: string;
  start: number;
  end: number;
}

/** The span of the KubeView calls (resolve and the config step's context reads). */
export function timedKube(inner: KubeView, calls: KubeCall[]): KubeView {
  return {
    async list(kind: string, options?: ListOptions) {
      const start = now();
      const out = await inner.list(kind, options);
      calls.push({ kind, start, end: now() });
      return out;
    },
    async get(kind: string, namespace: string | undefined, name: string) {
      const start = now();
      const out = await inner.get(kind, namespace, name);
      calls.push({ kind, start, end: now() });
      return out;
    },
  };
}

/** When each client-protocol message reached the client (peeked, not parsed twice, for the big batches). */
export interface Arrival {
  type: string;
  at: number;
  message?: string;
  acked?: number;
}

export async function connect(url: string, token: string, arrivals: Arrival[]): Promise<AggregatorClient> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('message', (data: Buffer) => {
    const at = now();
    const head = data.subarray(0, 80).toString();
    if (head.includes('"type":"findings"')) return void arrivals.push({ type: 'findings', at });
    if (!head.includes('"type":"scan.progress"'))
      return void arrivals.push({ type: /"type":"([^"]+)"/.exec(head)?.[1] ?? '?', at });
    const m = JSON.parse(data.toString()) as { message?: string; jobs: { acked: number } };
    arrivals.push({ type: 'scan.progress', at, message: m.message, acked: m.jobs.acked });
  });
  const client = new AggregatorClient(socket);
  await client.hello(token);
  return client;
}

export interface Timeline {
  total: number;
  findings: number;
  phases: Array<[string, number]>;
  batches: number;
  refetched: boolean;
  /** Findings per rule, to compare with the local scan of the same objects. */
  rules: Map<string, number>;
  reportBytes: number;
}

/** Config findings per rule (host findings come only from the cluster scan's agents). */
export function byRule(findings: ReadonlyArray<{ ruleId: string; scanner: string }>): Map<string, number> {
  const rules = new Map<string, number>();
  for (const f of findings) if (f.scanner === 'config') rules.set(f.ruleId, (rules.get(f.ruleId) ?? 0) + 1);
  return rules;
}

/** Rules whose finding counts differ between two scans, as `rule local/cluster`. */
export function ruleDifferences(local: Map<string, number>, cluster: Map<string, number>): string {
  const rules = [...new Set([...local.keys(), ...cluster.keys()])].sort();
  const diffs = rules
    .filter((r) => (local.get(r) ?? 0) !== (cluster.get(r) ?? 0))
    .map((r) => `\`${r}\` ${local.get(r) ?? 0}/${cluster.get(r) ?? 0}`);
  return diffs.length ? diffs.join(', ') : 'none';
}

/** One scan, with where its time went from the client's, the store's and the kube view's point of view. */
export async function tracedScan(
  client: AggregatorClient,
  target: { namespace: string; selector: string },
  arrivals: Arrival[],
  storeCalls: StoreCall[],
  kubeCalls: KubeCall[],
): Promise<Timeline> {
  arrivals.length = 0;
  storeCalls.length = 0;
  kubeCalls.length = 0;
  const t0 = now();
  const report = await client.scan(target, { scanners: ['config', 'host'] });
  const t1 = now();
  const progress = arrivals.filter((a) => a.type === 'scan.progress');
  const queued = progress.find((p) => p.message?.startsWith('queued'))!.at;
  const lastAck = progress.at(-1)!.at;
  const configPut = storeCalls.find((c) => c.op === 'put' && c.key.endsWith('/jobs/config.ndjson.gz'))!;
  const contextPut = storeCalls.find((c) => c.op === 'put' && c.key.endsWith('/config.json'))!;
  const reportPut = storeCalls.find((c) => c.op === 'put' && c.key.endsWith('/report.json'))!;
  const summaryPut = storeCalls.find((c) => c.op === 'put' && c.key.endsWith('/summary.json'))!;
  const done = arrivals.find((a) => a.type === 'scan.done')!.at;
  const batches = arrivals.filter((a) => a.type === 'findings');
  // The config step's context reads begin with the app's Namespace; everything before is the resolve.
  const contextStart = kubeCalls.findIndex((k) => k.kind === 'Namespace');
  const resolved = kubeCalls[contextStart - 1]!.end;
  const kubeEnd = kubeCalls
    .filter((k) => k.end <= configPut.start)
    .reduce((latest, k) => Math.max(latest, k.end), Number.NEGATIVE_INFINITY);
  const reads = storeCalls.filter((c) => c.op === 'get' && c.start >= lastAck && c.end <= reportPut.start);
  const readMs = reads.reduce((s, c) => s + c.end - c.start, 0);
  const phases: Array<[string, number]> = [
    [
      'scan.start → resolved (scan record in JetStream KV, resolve ns/app: pods, their owners)',
      resolved - t0,
    ],
    ['config step: context reads (namespace, policies, RBAC from the KubeView)', kubeEnd - resolved],
    ['config step: checks + gzip NDJSON encoding of the findings', configPut.start - kubeEnd],
    ['S3 write: config findings + config context', contextPut.end - configPut.start],
    [
      `streaming the config findings (${batches.length} batches, NATS → WebSocket) until the jobs are queued`,
      queued - contextPut.end,
    ],
    ['host jobs on 2 agents (queued → last ack seen by the client)', lastAck - queued],
    ['report assembly: S3 reads of every job result', readMs],
    [
      'report assembly: gunzip, parse and validate the stored results, merge, sort, summary, report JSON text',
      reportPut.start - lastAck - readMs,
    ],
    ['S3 write: report.json + summary', summaryPut.end - reportPut.start],
    ['scan.done to the client', done - summaryPut.end],
    ['client: join and sort the streamed findings', t1 - done],
  ];
  return {
    total: (t1 - t0) / 1000,
    findings: report.findings.length,
    phases,
    batches: batches.length,
    refetched: arrivals.some((a) => a.type === 'results.report'),
    rules: byRule(report.findings),
    reportBytes: reportPut.bytes,
  };
}
