import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { AggregatorStatus } from '../../../core/protocol/index.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { importOsv } from '../../../core/vuln/vuln-db.js';
import { publishVulnDb } from '../../../core/vuln/vuln-db-store.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

let nats: RunningNats;
let s3: RunningS3;
let stack: RunningStack;
let store: S3ObjectStore;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'seco-status-endpoint-'));

async function getStatus(headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/status`, { headers });
  return { code: response.status, body: await response.text() };
}

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  store = new S3ObjectStore({
    endpoint: s3.endpoint,
    bucket: 'seco',
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
  });
  stack = await startStack({
    bus: () => NatsBus.connect(nats.url, { ackWaitMs: 5000, maxDeliver: 3 }),
    store,
    nodes: [{ name: 'node-a', fixture: 'hardened' }],
  });
  base = `http://127.0.0.1:${stack.aggregators[0]!.port}`;
}, 60_000);

afterAll(async () => {
  await nats?.up();
  await stack?.stop();
  await nats?.stop();
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /status of an aggregator on real nats-server and s3rver', () => {
  it('answers without a token: build, replica, NATS round trip, S3, no vuln DB yet, the agent heartbeat', async () => {
    const { code, body } = await getStatus();
    expect(code).toBe(200);
    const status = AggregatorStatus.parse(JSON.parse(body));
    expect(status).toMatchObject({
      replica: 'replica-a',
      ready: true,
      nats: { connected: true },
      s3: { reachable: true },
      vulnDb: { present: false },
    });
    expect(status.nats.roundTripMs).toBeGreaterThanOrEqual(0);
    expect(status.agents).toEqual([expect.objectContaining({ node: 'node-a', online: true })]);
    expect(status.agents[0]!.version).toMatch(/\S/);
  });

  it('reports the published vuln DB: its revision, import time and age', async () => {
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'vulndb'));
    const manifest = await publishVulnDb(join(dir, 'vulndb'), store);
    const status = AggregatorStatus.parse(JSON.parse((await getStatus()).body));
    expect(status.vulnDb).toMatchObject({
      present: true,
      revision: manifest.revision,
      updatedAt: manifest.meta.updatedAt,
      publishedAt: manifest.publishedAt,
    });
    expect(status.vulnDb.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(status.vulnDb.ageSeconds).toBeLessThan(3600);
  });

  it('checks a token that is sent, as hello does: the static token passes, a wrong one gets 401', async () => {
    expect((await getStatus({ Authorization: `Bearer ${stack.token}` })).code).toBe(200);
    const refused = await getStatus({ Authorization: 'Bearer not-the-token' });
    expect(refused.code).toBe(401);
    expect(refused.body).not.toContain('not-the-token');
    expect((await getStatus({ Authorization: 'Basic dXNlcjpwYXNz' })).code).toBe(401);
  });

  it('says NATS is unreachable when the nats-server is stopped, and answers all the same', async () => {
    // The agent's job loop does not outlive a NATS shutdown (its own concern): stop it first.
    await stack.stopAgent('node-a');
    await nats.down();
    const { code, body } = await getStatus();
    expect(code).toBe(200);
    const status = AggregatorStatus.parse(JSON.parse(body));
    expect(status.nats.connected).toBe(false);
    expect(status.nats.error).toMatch(/disconnected|no answer within 3000 ms/);
    expect(status.agentsError).toMatch(/NATS is unreachable/);
    expect(status.s3.reachable).toBe(true);
    await nats.up();
  }, 30_000);
});
