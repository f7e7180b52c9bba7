import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { VulnIndex } from '../../../core/vuln/vuln-db.js';
import { fetchVulnDb } from '../../../core/vuln/vuln-db-store.js';
import DbImport from '../../../plugin/commands/db/import.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';

let s3: RunningS3;
let dir: string;
beforeAll(async () => {
  s3 = await startS3('seco');
  dir = mkdtempSync(join(tmpdir(), 'seco-vulndb-s3-'));
}, 30_000);
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('db import --s3-endpoint, then an agent fetches from S3 (s3rver)', () => {
  it('publishes with the CLI flags and loads the advisories back, fetching nothing the second time', async () => {
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await DbImport.run(
        ['test/fixtures/vuln/osv/lodash', '--db-dir', join(dir, 'local'), ...s3CliFlags(s3)],
        { root: process.cwd() },
      );
    } finally {
      log.mockRestore();
    }
    const store = new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    const cache = join(dir, 'agent-cache');
    const first = await fetchVulnDb(store, cache);
    expect(first).toMatchObject({ fetched: true, downloaded: 1 });
    const index = await VulnIndex.load(first!.dir, ['npm']);
    expect(index.recordsFor('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(await fetchVulnDb(store, cache)).toMatchObject({ revision: first!.revision, fetched: false });
  });
});
