import { describe, expect, it } from '@jest/globals';
import { type Finding, Report } from '../../../core/model/index.js';
import type { Job } from '../../../core/protocol/index.js';
import { jsonRenderer } from '../../../core/report/render/json.js';
import {
  REPORT_PAGE_FINDINGS,
  reportHeaderKey,
  reportKey,
  reportPageKey,
} from '../../../core/store/scan-objects.js';
import { syntheticFindings } from '../../../tools/bench/synthetic-agent.js';
import { runCli } from '../../e2e/cli/run-cli.js';
import { connectClient, openSocket } from '../../harness/cluster/connect-client.js';
import { DEMO_NODES, DEMO_SCAN_ARGS, demoObjects } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { startStack } from '../../harness/cluster/start-stack.js';

// A report of more findings than a client keeps from the live stream, read back from the stored pages.
// Real nats-server and s3rver; agents in-process with a synthetic job runner (6,000 findings a host job).
const servers = realServersForSuite();
const PER_JOB = 6000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function largeScan() {
  const stack = servers.use(
    await startStack({
      bus: () => servers.bus(),
      store: servers.store(),
      objects: demoObjects(),
      nodes: DEMO_NODES,
      agent: { runJob: async (job: Job) => syntheticFindings(job, PER_JOB) },
    }),
  );
  const url = stack.aggregators[0]!.url;
  const client = await connectClient(url, stack.token);
  // Keeps 1,000 live findings at most: the rest comes from the stored pages after scan.done.
  const report = await client.scan(
    { namespace: 'wordsmith', selector: 'app' },
    { scanners: ['config', 'host'], maxLiveFindings: 1000 },
  );
  client.close();
  return { stack, url, report };
}

/** The raw messages of one results.get, read by hand as an older or newer plugin would. */
async function rawResultsGet(url: string, token: string, scanId: string, headerFirst?: boolean) {
  const socket = await openSocket(url);
  const types: string[] = [];
  const findings: Finding[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { type: string; findings?: Finding[]; message?: string };
      if (message.type === 'welcome') return;
      if (types.at(-1) !== message.type) types.push(message.type);
      for (const finding of message.findings ?? []) findings.push(finding);
      if (message.type === 'results.report') resolve();
      if (message.type === 'error') reject(new Error(message.message));
    });
    socket.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
  socket.send(JSON.stringify({ v: 1, type: 'hello', client: { name: 't', version: '0' }, token }));
  socket.send(
    JSON.stringify({
      v: 1,
      type: 'results.get',
      requestId: 'r1',
      scanId,
      ...(headerFirst ? { headerFirst } : {}),
    }),
  );
  return { socket, types, findings, done };
}

describe('a report larger than a client keeps live (real NATS and S3)', () => {
  it('is stored as pages beside report.json and read back whole, in order, by a client that dropped the live copy', async () => {
    const { report } = await largeScan();
    expect(report.findings.length).toBeGreaterThan(2 * PER_JOB);
    const store = servers.store();
    const stored = Report.parse(JSON.parse((await store.get(reportKey(report.scanId)))!.toString()));
    expect(report.findings.map((f) => f.id)).toEqual(stored.findings.map((f) => f.id));
    const pages = Math.ceil(stored.findings.length / REPORT_PAGE_FINDINGS);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(await store.stat(reportPageKey(report.scanId, pages - 1))).toBeTruthy();
    expect(await store.stat(reportPageKey(report.scanId, pages))).toBeFalsy();
    const header = JSON.parse((await store.get(reportHeaderKey(report.scanId)))!.toString());
    expect(header).toMatchObject({ pages, header: { findingCount: stored.findings.length } });
  }, 120_000);

  it('results.get: header first when asked, header last for an older plugin, and a client that stops reading is waited for, not cut', async () => {
    const { stack, url, report } = await largeScan();
    const newer = await rawResultsGet(url, stack.token, report.scanId, true);
    await newer.done;
    expect(newer.types).toEqual(['results.header', 'findings', 'results.report']);
    expect(newer.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
    newer.socket.close();

    const older = await rawResultsGet(url, stack.token, report.scanId);
    older.socket.pause(); // reads nothing for 3 s: the aggregator paces instead of buffering or closing it
    await sleep(3000);
    older.socket.resume();
    await older.done;
    expect(older.types).toEqual(['findings', 'results.report']);
    expect(older.findings).toHaveLength(report.findings.length);
    older.socket.close();
  }, 120_000);

  it('kubectl seco scan -o json prints it as it streams: the same bytes as the whole report rendered', async () => {
    const { stack, report } = await largeScan();
    const cli = await runCli(
      [...DEMO_SCAN_ARGS, '--aggregator-url', stack.aggregators[0]!.url, '-o', 'json', '--quiet'],
      { env: { SECO_TOKEN: stack.token } },
    );
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const printed = Report.parse(JSON.parse(cli.stdout));
    expect(printed.findings).toHaveLength(report.findings.length);
    // What the json renderer prints for the report the plugin used to hold whole (its keys, findings last).
    const whole = JSON.parse(cli.stdout) as Report;
    expect(Object.keys(whole).at(-1)).toBe('findings');
    expect(cli.stdout).toBe(jsonRenderer.render(whole, { color: false, toolVersion: 'test' }));
  }, 180_000);
});
