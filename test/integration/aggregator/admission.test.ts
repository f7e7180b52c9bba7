import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dump } from 'js-yaml';
import { WebSocket } from 'ws';
import { AggregatorClient } from '../../../plugin/cluster/aggregator-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { type ServerProcess, startProcess, waitUntilReady } from '../../harness/nats/server-process.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';

const TOKEN = 'admission-test-token-0123456789';
const MiB = 1024 * 1024;
let nats: RunningNats;
let s3: RunningS3;
let work: string;

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  work = mkdtempSync(join(tmpdir(), 'seco-admission-'));
  const cluster = withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a'] });
  writeFileSync(join(work, 'cluster.yaml'), cluster.map((o) => dump(o, { noRefs: true })).join('---\n'));
  writeFileSync(join(work, 'tokens'), `${TOKEN}\n`);
}, 30_000);

afterAll(async () => {
  await nats?.stop();
  await s3?.stop();
});

/** The production aggregator binary (dist/, built by `npm run build`) in a process of its own. */
async function startAggregator(
  name: string,
  flags: string[],
): Promise<{ server: ServerProcess; port: number; metricsPort: number }> {
  const log = join(work, `${name}.log`);
  const server = startProcess(
    process.execPath,
    [
      'dist/aggregator/main.js',
      ...['--listen', '127.0.0.1:0', '--nats', nats.url, '--kube-from', join(work, 'cluster.yaml')],
      ...['--metrics-listen', '127.0.0.1:0'],
      ...s3CliFlags(s3),
      ...['--auth-token-file', join(work, 'tokens'), '--replica-id', name, '--continuous', 'false'],
      ...flags,
    ],
    log,
  );
  let port = 0;
  let metricsPort = 0;
  await waitUntilReady(
    `aggregator ${name}`,
    server,
    async () => {
      const text = readFileSync(log, 'utf8');
      port = Number(/^listening (\d+)$/m.exec(text)?.[1] ?? 0);
      metricsPort = Number(/^metrics (\d+)$/m.exec(text)?.[1] ?? 0);
      return port > 0 && metricsPort > 0;
    },
    20_000,
  );
  return { server, port, metricsPort };
}

/** The process's resident set from /proc (0 once it is gone). */
function rssBytes(pid: number): number {
  try {
    const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kib ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Resolves once the socket is open, or undefined when the upgrade is refused (with its HTTP status). */
function open(url: string, localAddress: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { localAddress });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode });
      response.resume();
      ws.terminate();
    });
    ws.once('error', () => resolve({}));
  });
}

/**
 * One hostile client: connects without a hello and sends 1 MiB frames until it is cut, `rounds` times.
 * Counts how its attempts ended.
 */
async function flooder(url: string, localAddress: string, rounds: number, outcomes: Map<string, number>) {
  const big = Buffer.alloc(MiB, 0x61);
  const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
  for (let i = 0; i < rounds; i++) {
    const { ws, status } = await open(url, localAddress);
    if (!ws) {
      count(`refused ${status ?? 'error'}`);
      continue;
    }
    const code = await new Promise<number>((resolve) => {
      ws.on('close', (c) => resolve(c));
      ws.on('error', () => undefined);
      for (let f = 0; f < 4; f++) ws.send(big, { binary: true });
    });
    count(`closed ${code}`);
  }
}

function metric(text: string, reason: string): number {
  const line = new RegExp(`^seco_connections_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text);
  return Number(line?.[1] ?? 0);
}

describe('limits before hello on a real aggregator process', () => {
  it('a pre-auth flood of big frames from many connections keeps RSS bounded while a legitimate scan is served', async () => {
    const { server, port, metricsPort } = await startAggregator('flood', [
      ...['--max-preauth-connections', '150', '--max-preauth-per-source', '50'],
    ]);
    const pid = server.child.pid!;
    const url = `ws://127.0.0.1:${port}/ws`;
    try {
      const before = rssBytes(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
      const outcomes = new Map<string, number>();
      // 400 hostile connections at once: 80 from 127.0.0.1 (over its per-source cap), 40 from each of
      // eight other loopback addresses (over the overall pre-auth cap together), each twice.
      const sources = [
        ...Array.from({ length: 80 }, () => '127.0.0.1'),
        ...Array.from({ length: 320 }, (_, i) => `127.0.0.${2 + (i % 8)}`),
      ];
      const flood = Promise.all(sources.map((source) => flooder(url, source, 2, outcomes)));
      // Meanwhile a user from another address says hello and scans.
      let legitimate: Awaited<ReturnType<AggregatorClient['scan']>> | undefined;
      for (let attempt = 0; attempt < 20 && !legitimate; attempt++) {
        const { ws, status } = await open(url, '127.0.0.200');
        if (!ws) {
          outcomes.set(`refused ${status}`, (outcomes.get(`refused ${status}`) ?? 0) + 1);
          continue;
        }
        const client = new AggregatorClient(ws);
        try {
          await client.hello(TOKEN);
          legitimate = await client.scan(
            { namespace: 'wordsmith', selector: 'app' },
            { scanners: ['config'] },
          );
        } catch {
          // cut or refused under the flood: try again, as the plugin's user would
        }
        client.close();
      }
      await flood;
      clearInterval(sampler);
      expect(legitimate?.findings.some((f) => f.scanner === 'config')).toBe(true);
      // Unbounded, 400 connections × up to 2 MiB buffered each held ≈ 1 GiB; bounded, the pre-auth
      // buffers are ≤ 150 × (16 KiB + one socket read).
      expect(peak - before).toBeLessThan(160 * MiB);
      expect(outcomes.get('closed 1009')).toBeGreaterThan(0);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metric(text, 'preauth-too-large')).toBe(outcomes.get('closed 1009'));
      expect(metric(text, 'preauth-source-cap')).toBe(outcomes.get('refused 429') ?? 0);
      expect(metric(text, 'preauth-source-cap') + metric(text, 'preauth-cap')).toBe(
        (outcomes.get('refused 429') ?? 0) + (outcomes.get('refused 503') ?? 0),
      );
      expect(metric(text, 'preauth-source-cap') + metric(text, 'preauth-cap')).toBeGreaterThan(0);
      expect(text).toMatch(/^seco_websocket_preauth_clients 0$/m);
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('a client that never says hello is cut at the hello timeout, and counted', async () => {
    const { server, port, metricsPort } = await startAggregator('hello', ['--hello-timeout', '1']);
    try {
      const { ws } = await open(`ws://127.0.0.1:${port}/ws`, '127.0.0.1');
      const code = await new Promise<number>((resolve) => ws!.on('close', (c) => resolve(c)));
      expect(code).toBe(1008);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metric(text, 'hello-timeout')).toBe(1);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('over its memory budget, the aggregator refuses new unauthenticated clients with 503', async () => {
    const { server, port, metricsPort } = await startAggregator('budget', ['--memory-budget', '1']);
    try {
      const { ws, status } = await open(`ws://127.0.0.1:${port}/ws`, '127.0.0.1');
      expect(ws).toBeUndefined();
      expect(status).toBe(503);
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metric(text, 'memory-budget')).toBe(1);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
