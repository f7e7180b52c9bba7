import { describe, expect, it } from '@jest/globals';
import { refusedGrant } from '../../../aggregator/object-grants.js';

const hex = 'a'.repeat(64);
const image = { scanId: 's1', jobId: 'j1', kind: 'image' as const };
const host = { scanId: 's1', jobId: 'j2', kind: 'host' as const };

describe('object grants', () => {
  it('lets a job write its own results only', () => {
    expect(refusedGrant('scans/s1/jobs/j2.ndjson.gz', 'PUT', host)).toBeUndefined();
    expect(refusedGrant('scans/s1/jobs/j2.failed.json', 'PUT', host)).toBeUndefined();
    expect(refusedGrant('scans/s1/jobs/j2.ndjson.gz', 'GET', host)).toMatch(/not to read/);
    expect(refusedGrant('scans/s1/jobs/j1.ndjson.gz', 'PUT', host)).toMatch(/only its own/);
    expect(refusedGrant('scans/s1/report.json', 'PUT', image)).toMatch(/does not touch/);
  });

  it('lets an image job read the vuln DB and read and write SBOMs, never write the DB', () => {
    expect(refusedGrant('vulndb/manifest.json', 'GET', image)).toBeUndefined();
    expect(refusedGrant(`vulndb/shards/sha256/${hex}.ndjson.gz`, 'GET', image)).toBeUndefined();
    expect(refusedGrant('vulndb/manifest.json', 'PUT', image)).toMatch(/read-only/);
    expect(refusedGrant(`sbom/sha256/${hex}.cdx.json`, 'PUT', image)).toBeUndefined();
    expect(refusedGrant(`sbom/index/sha256/${hex}/linux-amd64`, 'GET', image)).toBeUndefined();
    expect(refusedGrant('vulndb/manifest.json', 'GET', host)).toMatch(/only its own/);
  });

  it('allows only SBOM reads outside a job', () => {
    expect(refusedGrant(`sbom/sha256/${hex}.cdx.json`, 'HEAD')).toBeUndefined();
    expect(refusedGrant(`sbom/sha256/${hex}.cdx.json`, 'PUT')).toMatch(/outside a job/);
    expect(refusedGrant('scans/s1/report.json', 'GET')).toMatch(/outside a job/);
  });
});
