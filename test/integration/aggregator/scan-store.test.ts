import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allJobsSettled, type JobRecord, type ScanRecord } from '../../../aggregator/scan-record.js';
import { newScanId, ScanStore } from '../../../aggregator/scan-store.js';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';

let nats: RunningNats;
const buses: Bus[] = [];

beforeAll(async () => {
  nats = await startNats();
}, 30_000);

afterAll(async () => {
  for (const bus of buses) await bus.close();
  await nats?.stop();
});

/** A replica's store on a connection of its own, as each aggregator process has. */
async function replicaStore(): Promise<ScanStore> {
  const bus = await NatsBus.connect(nats.url, { ackWaitMs: 5000, maxDeliver: 3 });
  buses.push(bus);
  const store = new ScanStore(await bus.keyValue('seco-scans'), await bus.keyValue('seco-scan-jobs'));
  await store.start();
  return store;
}

const job = (i: number): JobRecord => ({
  kind: 'host',
  node: `node-${String(i).padStart(5, '0')}.example.internal`,
  state: 'queued',
  queuedAt: 1_700_000_000_000,
});

function scan(jobs: number): ScanRecord {
  return {
    scanId: newScanId(),
    target: { allNamespaces: true },
    targetName: '*',
    requestedBy: 'test',
    scanners: ['host'],
    status: 'running',
    startedAt: new Date().toISOString(),
    deadline: Date.now() + 600_000,
    owner: 'replica-a',
    leaseUntil: Date.now() + 15_000,
    jobs: Object.fromEntries(Array.from({ length: jobs }, (_, i) => [`host-${i}`, job(i)])),
    problems: [],
  };
}

describe('scan records on NATS KV: a header and one key per job', () => {
  it('holds a scan of more jobs than one NATS message could (about 3,000 did before)', async () => {
    const store = await replicaStore();
    const record = scan(12_000);
    expect(Buffer.byteLength(JSON.stringify(record))).toBeGreaterThan(1024 * 1024);
    await store.create(record);
    const other = await replicaStore();
    const read = await other.get(record.scanId);
    expect(Object.keys(read!.jobs)).toHaveLength(12_000);
    expect(read!.jobs['host-11999']).toEqual(job(11_999));
    expect(read!.jobCount).toBe(12_000);
    await store.delete(record.scanId);
    expect(await other.get(record.scanId)).toBeUndefined();
    expect(await other.ids()).not.toContain(record.scanId);
  }, 120_000);

  it('settles a job once when two replicas race on it, and each sees the other’s change', async () => {
    const [a, b] = [await replicaStore(), await replicaStore()];
    const record = scan(3);
    await a.create(record);
    await b.get(record.scanId); // both have it cached: the race is between two stale-free caches
    const settle = (store: ScanStore, by: string) =>
      store.updateJob(record.scanId, 'host-1', (j) =>
        j.state === 'queued' ? { ...j, state: 'acked', error: by } : undefined,
      );
    const results = await Promise.all([settle(a, 'a'), settle(b, 'b')]);
    expect(results.filter((r) => r?.changed)).toHaveLength(1);
    const winner = results.find((r) => r?.changed)!.record.jobs['host-1']!.error;
    for (const store of [a, b]) {
      for (let i = 0; i < 50 && (await store.get(record.scanId))!.jobs['host-1']!.state !== 'acked'; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect((await store.get(record.scanId))!.jobs['host-1']).toMatchObject({
        state: 'acked',
        error: winner,
      });
    }
    expect(await a.updateJob(record.scanId, 'host-404', (j) => j)).toBeUndefined();
  }, 30_000);

  it('a header change made from a stale read retries, and jobs added are counted before they are written', async () => {
    const [a, b] = [await replicaStore(), await replicaStore()];
    const record = scan(1);
    await a.create(record);
    await a.updateJob(record.scanId, 'host-0', (j) => ({ ...j, state: 'acked' }));
    // B adds a job while A claims the scan for finishing: whichever order, A never finishes without it.
    let claimedWith = -1;
    const [added] = await Promise.all([
      b.update(record.scanId, (r) => ({ ...r, jobs: { ...r.jobs, 'host-1': job(1) } })),
      a.update(record.scanId, (r) => {
        if (!allJobsSettled(r)) return undefined;
        claimedWith = Object.keys(r.jobs).length;
        return { ...r, status: 'finishing' };
      }),
    ]);
    const final = (await a.get(record.scanId))!;
    expect(final.jobCount).toBe(2);
    if (final.status === 'finishing') expect(claimedWith).toBe(1); // A claimed first; B's add then retried
    expect(added?.record.jobs['host-1']).toEqual(job(1));
    // Fewer job keys than counted (an adder died between the two): not settled.
    expect(allJobsSettled({ ...final, jobs: { 'host-0': final.jobs['host-0']! } })).toBe(false);
    await expect(
      a.update(record.scanId, (r) => ({
        ...r,
        jobs: { ...r.jobs, 'host-0': { ...r.jobs['host-0']!, state: 'failed' } },
      })),
    ).rejects.toThrow(/job host-0 changed in a scan update; use updateJob/);
  }, 30_000);
});
