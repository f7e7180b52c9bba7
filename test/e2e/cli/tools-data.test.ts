import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { clamav } from '../../../core/tools/adapters/clamav.js';
import { yara } from '../../../core/tools/adapters/yara.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runTool } from '../../../core/tools/run-tool.js';
import { fetchToolData, TOOLDATA_MANIFEST_KEY } from '../../../core/tools/tool-data-store.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';
import { runCli } from './run-cli.js';

const DROPPER = 'seco test dropper: not malware, only its hash is a signature\n';
let s3: RunningS3;
let dir: string;
let files: string;

beforeAll(async () => {
  requireTool('clamscan', 'clamav');
  requireTool('yara', 'yara');
  s3 = await startS3();
  dir = mkdtempSync(join(tmpdir(), 'seco-tools-data-'));
  mkdirSync(join(dir, 'clamav'));
  // A hash signature (ClamAV .hdb: md5:size:name) of the test file: no download needed.
  writeFileSync(
    join(dir, 'clamav', 'seco-test.hdb'),
    `${createHash('md5').update(DROPPER).digest('hex')}:${DROPPER.length}:Seco.Test.Dropper\n`,
  );
  writeFileSync(join(dir, 'clamav', 'README'), 'not a database: not published\n');
  mkdirSync(join(dir, 'yara'));
  writeFileSync(
    join(dir, 'yara', 'miner.yar'),
    'rule crypto_miner_pool { meta: severity = "critical" strings: $a = "stratum+tcp://" condition: $a }\n',
  );
  mkdirSync(join(dir, 'hostile'));
  writeFileSync(join(dir, 'hostile', 'x.yar'), 'include "/etc/shadow"\nrule x { condition: true }\n');
  files = join(dir, 'image-root');
  mkdirSync(join(files, 'opt'), { recursive: true });
  writeFileSync(join(files, 'opt', 'dropper'), DROPPER);
  writeFileSync(join(files, 'opt', 'miner.conf'), 'pool = stratum+tcp://pool.example:3333\n');
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const storeOf = () =>
  new S3ObjectStore({
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
  });

describe('kubectl seco tools data publish', () => {
  test('publishes ClamAV signatures and YARA rules; a tools runner fetches them by digest and the tools use them', async () => {
    const published = await runCli([
      'tools',
      'data',
      'publish',
      '--clamav',
      join(dir, 'clamav'),
      '--yara',
      join(dir, 'yara'),
      ...s3CliFlags(s3),
    ]);
    expect(published.stderr).toBe('');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/published tool data revision [0-9a-f]{12}/);
    expect(published.stdout).toContain('clamav: seco-test.hdb');
    const store = storeOf();
    const cache = join(dir, 'cache');
    const fetched = (await fetchToolData(store, cache))!;
    expect(readdirSync(fetched.clamavDatabase!)).toEqual(['seco-test.hdb']);
    const executor = new SecureExecutor({
      tools: await installedTools([clamav, yara]),
      audit: new AuditMemory().sink,
    });
    const target = {
      place: 'image' as const,
      root: files,
      image: `registry.test/app@sha256:${'a'.repeat(64)}`,
    };
    const scanned = await runTool(clamav, target, {
      executor,
      inputs: { clamavDatabase: fetched.clamavDatabase! },
    });
    expect(scanned.problems).toEqual([]);
    expect(scanned.findings.map((f) => [f.ruleId, f.resource.file])).toEqual([
      ['tool:clamav/Seco.Test.Dropper.UNOFFICIAL', '/opt/dropper'],
    ]);
    const ruled = await runTool(yara, target, { executor, inputs: { yaraRules: fetched.yaraRules! } });
    expect(ruled.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['tool:yara/crypto_miner_pool', 'critical'],
    ]);

    // New rules only: the ClamAV databases stay, the revision changes, unchanged blobs are not fetched again.
    writeFileSync(
      join(dir, 'yara', 'more.yar'),
      'rule shell_dropper { strings: $a = "dropper" condition: $a }\n',
    );
    expect(
      (await runCli(['tools', 'data', 'publish', '--yara', join(dir, 'yara'), ...s3CliFlags(s3)])).code,
    ).toBe(0);
    const again = (await fetchToolData(store, cache))!;
    expect(again.revision).not.toBe(fetched.revision);
    expect(readdirSync(again.clamavDatabase!)).toEqual(['seco-test.hdb']);
    expect(readdirSync(join(cache, 'blobs'))).toHaveLength(3);
  }, 180_000);

  test('refuses rules with include, an empty directory, and nothing to publish; the store keeps what it had', async () => {
    const before = await storeOf().get(TOOLDATA_MANIFEST_KEY);
    const hostile = await runCli([
      'tools',
      'data',
      'publish',
      '--yara',
      join(dir, 'hostile'),
      ...s3CliFlags(s3),
    ]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toMatch(/x\.yar: include is not allowed/);
    const empty = await runCli([
      'tools',
      'data',
      'publish',
      '--clamav',
      join(dir, 'image-root'),
      ...s3CliFlags(s3),
    ]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no signature database files in it/);
    const nothing = await runCli(['tools', 'data', 'publish', ...s3CliFlags(s3)]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to publish/);
    const after = await storeOf().get(TOOLDATA_MANIFEST_KEY);
    expect(after?.toString()).toBe(before?.toString());
  }, 120_000);
});
