import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { resolveImage } from '../../../core/image/source/resolve-image.js';
import { clamav } from '../../../core/tools/adapters/clamav.js';
import { yara } from '../../../core/tools/adapters/yara.js';
import { writeImageFiles } from '../../../core/tools/image-filesystem.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runTool } from '../../../core/tools/run-tool.js';
import type { ImageTarget } from '../../../core/tools/tool-adapter.js';
import { buildFilesImage, type FilesImage } from '../../harness/image/build-files-image.js';
import { requireTool } from '../../harness/registry/required-tool.js';

// Signatures written here (ClamAV's official databases cannot be downloaded on this machine): a body
// pattern for a marker string, EICAR-style, and an MD5 hash signature of one exact file.
const MARKER = 'SECO-TEST-MALWARE-MARKER-7f3a';
const HASHED = Buffer.from('a dropper this test knows by its md5\n');

let image: FilesImage;
let data: string;
let root: string;
let target: ImageTarget;
const audit = new AuditMemory();
let executor: SecureExecutor;

beforeAll(async () => {
  requireTool('clamscan', 'clamav');
  requireTool('yara', 'yara');
  image = buildFilesImage([
    {
      'usr/bin/app': 'an ordinary program\n',
      'opt/payload.bin': `header ${MARKER} trailer\n`,
      'opt/dropper': HASHED,
      'tmp/deleted-later': `${MARKER}\n`,
    },
    { 'tmp/deleted-later': null, 'etc/miner.conf': 'stratum+tcp://pool.example:3333\n' },
  ]);
  data = mkdtempSync(join(tmpdir(), 'seco-tool-data-'));
  const db = join(data, 'clamav');
  mkdirSync(db);
  writeFileSync(join(db, 'seco-test.ndb'), `Seco.Test.Marker:0:*:${Buffer.from(MARKER).toString('hex')}\n`);
  writeFileSync(
    join(db, 'seco-test.hdb'),
    `${createHash('md5').update(HASHED).digest('hex')}:${HASHED.length}:Seco.Test.Dropper\n`,
  );
  writeFileSync(join(db, 'README'), 'not a signature file: left out\n');
  writeFileSync(
    join(data, 'rules.yar'),
    `rule crypto_miner_pool { meta: severity = "critical" description = "Mining pool address" strings: $a = "stratum+tcp://" condition: $a }\n`,
  );
  writeFileSync(join(data, 'include.yar'), 'include "/etc/shadow"\nrule x { condition: true }\n');
  root = mkdtempSync(join(tmpdir(), 'seco-image-root-'));
  const resolved = await resolveImage(image.reference, {
    platform: { os: 'linux', architecture: 'amd64' },
    insecureRegistries: [],
  });
  const written = await writeImageFiles(resolved, { root });
  expect(written.written).toBe(4);
  target = { place: 'image', root, image: `${resolved.reference}@${resolved.digest}` };
  executor = new SecureExecutor({ tools: await installedTools([clamav, yara]), audit: audit.sink });
}, 60_000);

afterAll(() => {
  image?.remove();
  for (const dir of [data, root]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('file scanners on an image filesystem', () => {
  test('clamav finds the marker pattern and the hashed file, not the file deleted in an upper layer', async () => {
    const output = await runTool(clamav, target, {
      executor,
      inputs: { clamavDatabase: join(data, 'clamav') },
    });
    expect(output.problems).toEqual([]);
    const hits = output.findings.map((f) => [f.ruleId, f.resource.file, f.severity]).sort();
    expect(hits).toEqual([
      ['tool:clamav/Seco.Test.Dropper.UNOFFICIAL', '/opt/dropper', 'high'],
      ['tool:clamav/Seco.Test.Marker.UNOFFICIAL', '/opt/payload.bin', 'high'],
    ]);
    expect(output.findings[0]).toMatchObject({
      scanner: 'tool:clamav',
      resource: { kind: 'Image', image: target.image },
    });
    expect(output.raw.map((r) => r.name)).toContain('clamav-0.stdout');
    expect(audit.records.filter((r) => r.tool === 'clamscan').map((r) => r.event)).toEqual([
      'approved',
      'started',
      'ended',
    ]);
  }, 120_000);

  test('yara runs user-supplied rules, severity from their meta', async () => {
    const output = await runTool(yara, target, {
      executor,
      inputs: { yaraRules: [join(data, 'rules.yar')] },
    });
    expect(output.problems).toEqual([]);
    expect(output.findings).toEqual([
      expect.objectContaining({
        ruleId: 'tool:yara/crypto_miner_pool',
        severity: 'critical',
        title: 'Mining pool address (/etc/miner.conf)',
        resource: expect.objectContaining({ file: '/etc/miner.conf' }),
      }),
    ]);
  }, 60_000);

  test('yara rules that include other files are refused, and so is a run without rules', async () => {
    const refused = await runTool(yara, target, {
      executor,
      inputs: { yaraRules: [join(data, 'include.yar')] },
    });
    expect(refused.findings).toEqual([]);
    expect(refused.problems).toEqual([expect.stringMatching(/include is not allowed/)]);
    const none = await runTool(yara, target, { executor });
    expect(none.problems).toEqual([expect.stringMatching(/needs rules/)]);
  });

  test('clamav without any signatures says so instead of reporting a clean image', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'seco-empty-db-'));
    try {
      const output = await runTool(clamav, target, { executor, inputs: { clamavDatabase: empty } });
      expect(output.findings).toEqual([]);
      expect(output.problems).toEqual([expect.stringMatching(/clamav ended with exit status 2/)]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
