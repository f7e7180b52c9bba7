import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { publishToolData } from '../../../core/tools/tool-data-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { buildFilesImage, type FilesImage } from '../../harness/image/build-files-image.js';
import { pullSecret, shopApp } from '../../harness/registry/pulling-app.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';

// Signatures and a rule written here (ClamAV's official databases cannot be downloaded on this machine):
// an MD5 hash signature of one exact file and an EICAR-style body pattern; a YARA rule as user data.
const MARKER = 'SECO-CLUSTER-MALWARE-MARKER-51c9';
const DROPPER = Buffer.from('a dropper the cluster scan knows by its md5\n');
const creds = { username: 'puller', password: 'tools-s3cret-pass' };

let registry: RunningRegistry;
let image: FilesImage;
let data: string;
let stack: RunningStack | undefined;

beforeAll(async () => {
  requireTool('clamscan', 'clamav');
  requireTool('yara', 'yara');
  image = buildFilesImage([
    {
      'usr/bin/app': 'an ordinary program\n',
      'opt/payload.bin': `header ${MARKER} trailer\n`,
      'opt/dropper': DROPPER,
    },
    { 'etc/miner.conf': 'stratum+tcp://pool.example:3333\n' },
  ]);
  registry = await startRegistry({ basicAuth: creds });
  const [, layout, tag] = /^oci-layout:(.+):([^:]+)$/.exec(image.reference) ?? [];
  await pushImage(layout!, tag!, `${registry.host}/shop/app:1.0`, creds);
  data = mkdtempSync(join(tmpdir(), 'seco-cluster-tool-data-'));
  mkdirSync(join(data, 'clamav'));
  mkdirSync(join(data, 'yara'));
  writeFileSync(
    join(data, 'clamav', 'seco-test.ndb'),
    `Seco.Test.Marker:0:*:${Buffer.from(MARKER).toString('hex')}\n`,
  );
  writeFileSync(
    join(data, 'clamav', 'seco-test.hdb'),
    `${createHash('md5').update(DROPPER).digest('hex')}:${DROPPER.length}:Seco.Test.Dropper\n`,
  );
  writeFileSync(
    join(data, 'yara', 'miner.yar'),
    'rule crypto_miner_pool { meta: severity = "critical" description = "Mining pool address" strings: $a = "stratum+tcp://" condition: $a }\n',
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await registry?.stop();
  image?.remove();
  if (data) rmSync(data, { recursive: true, force: true });
});

describe('scan ns/app --scanners clamav,yara (image tools in the cluster)', () => {
  it('the node’s tools runner pulls the image with the pod’s pull secret and scans its files with the published signatures and rules', async () => {
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-image-tools-store-')));
    // As `kubectl seco tools data publish --clamav DIR --yara DIR` does.
    await publishToolData(store, { clamav: join(data, 'clamav'), yara: join(data, 'yara') });
    const reference = `${registry.host}/shop/app:1.0`;
    const digest = await new RegistrySource(parseReference(reference), {
      credentials: creds,
      insecure: true,
    }).imageDigest({ os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' });
    const bus = new MemoryBus({ ackWaitMs: 120_000, maxDeliver: 3 });
    const audit = new AuditMemory();
    stack = await startStack({
      bus: async () => sharedBus(bus),
      store,
      objects: [
        ...withRunningPods([shopApp(reference)], { nodes: ['node-a'], digests: { [reference]: digest } }),
        pullSecret(registry.host, creds),
      ],
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      jobTimeoutMs: 300_000,
      agent: { insecureRegistries: [registry.host], toolAudit: audit.sink, toolsRunner: true },
    });
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const report = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['clamav', 'yara'] });
    client.close();

    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
    const hits = report.findings
      .map((f) => [f.scanner, f.ruleId, f.resource.file, f.resource.image])
      .sort((a, b) => String(a[2]).localeCompare(String(b[2])));
    expect(hits).toEqual([
      ['tool:yara', 'tool:yara/crypto_miner_pool', '/etc/miner.conf', expect.stringContaining(digest)],
      [
        'tool:clamav',
        'tool:clamav/Seco.Test.Dropper.UNOFFICIAL',
        '/opt/dropper',
        expect.stringContaining(digest),
      ],
      [
        'tool:clamav',
        'tool:clamav/Seco.Test.Marker.UNOFFICIAL',
        '/opt/payload.bin',
        expect.stringContaining(digest),
      ],
    ]);
    // Only the named tools ran, on the node's tools runner (not the agent), each through the executor.
    expect(new Set(report.findings.map((f) => f.scanner))).toEqual(new Set(['tool:clamav', 'tool:yara']));
    const ended = audit.records.filter((r) => r.event === 'ended').map((r) => r.tool);
    expect(ended.sort()).toEqual(['clamscan', 'yara']);
    // The pull secret's password reached the runner sealed in its ticket, never a report.
    expect(JSON.stringify(report)).not.toContain(creds.password);
    const raw: string[] = [];
    for await (const key of store.list(`scans/${report.scanId}/tools/`)) raw.push(key);
    expect(raw.some((k) => k.includes('/clamav/'))).toBe(true);
    expect(raw.some((k) => k.includes('/yara/'))).toBe(true);
  }, 400_000);
});
