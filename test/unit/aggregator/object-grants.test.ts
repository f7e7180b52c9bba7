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

  it('lets a tools job write its raw outputs under its own prefix and read the published tool data', () => {
    const tools = { scanId: 's1', jobId: 'j3', kind: 'tools' as const };
    expect(refusedGrant('scans/s1/tools/j3/nmap/shop.web.nmap-0.stdout', 'PUT', tools)).toBeUndefined();
    expect(refusedGrant('scans/s1/tools/j3/nmap/x', 'GET', tools)).toMatch(/not to read/);
    expect(refusedGrant('scans/s1/tools/j3/../j1.ndjson.gz', 'PUT', tools)).toMatch(/only its own/);
    expect(refusedGrant('scans/s1/tools/j3//x', 'PUT', tools)).toMatch(/only its own/);
    expect(refusedGrant('scans/s1/tools/j1/nmap/x', 'PUT', tools)).toMatch(/only its own/);
    expect(refusedGrant('scans/s1/jobs/j3.ndjson.gz', 'PUT', tools)).toBeUndefined();
    expect(refusedGrant('tooldata/manifest.json', 'GET', tools)).toBeUndefined();
    expect(refusedGrant(`tooldata/blobs/sha256/${hex}`, 'GET', tools)).toBeUndefined();
    expect(refusedGrant(`tooldata/blobs/sha256/${hex}`, 'PUT', tools)).toMatch(/read-only/);
    expect(refusedGrant('tooldata/manifest.json', 'GET', image)).toMatch(/does not touch/);
    expect(refusedGrant('vulndb/manifest.json', 'GET', tools)).toMatch(/only its own/);
  });

  it('allows only SBOM reads outside a job', () => {
    expect(refusedGrant(`sbom/sha256/${hex}.cdx.json`, 'HEAD')).toBeUndefined();
    expect(refusedGrant(`sbom/sha256/${hex}.cdx.json`, 'PUT')).toMatch(/outside a job/);
    expect(refusedGrant('scans/s1/report.json', 'GET')).toMatch(/outside a job/);
  });
});
