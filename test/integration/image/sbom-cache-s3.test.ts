import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sbomKey, scanImageCached } from '../../../core/image/sbom-cache.js';
import { scanImage } from '../../../core/image/scan-image.js';
import { imageSource, resolveImage } from '../../../core/image/source/resolve-image.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { importOsv, VulnIndex } from '../../../core/vuln/vuln-db.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { type CountingProxy, startCountingProxy } from '../../harness/registry/counting-proxy.js';
import {
  pushWithSkopeo,
  type RunningRegistry,
  startRegistry,
} from '../../harness/registry/start-registry.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

const now = new Date('2026-11-24T00:00:00Z');
const platform = { os: 'linux', architecture: 'amd64' };
let built: BuiltImage;
let registry: RunningRegistry;
let proxy: CountingProxy;
let s3: RunningS3;
let index: VulnIndex;

beforeAll(async () => {
  built = buildTestImage();
  [registry, s3] = await Promise.all([startRegistry(), startS3('seco')]);
  pushWithSkopeo(built.layout, 'test', `${registry.host}/shop/app:1.0`);
  proxy = await startCountingProxy(registry.host);
  await importOsv('test/fixtures/vuln/osv/lodash', `${built.dir}/vulndb`, now);
  index = await VulnIndex.load(`${built.dir}/vulndb`, ['npm', 'Debian', 'Go', 'PyPI', 'Maven', 'RubyGems']);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await s3?.stop();
  built?.remove();
});

describe('SBOM cache in S3 (s3rver) for images from a real registry', () => {
  it('scans once, then answers from the stored SBOM with the same findings and no blob request', async () => {
    const store = new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    const ref = `${proxy.host}/shop/app:1.0`;
    const options = { insecureRegistries: [proxy.host], dockerConfig: '/nonexistent' };
    const cache = { store, vulnIndex: index, toolVersion: '0.1.0', now };

    const first = await scanImageCached(await imageSource(ref, options), platform, cache);
    expect(first.cached).toBe(false);
    expect(proxy.blobRequests()).toBeGreaterThan(1);
    const stored = await store.stat(sbomKey(first.image.image!.split('@')[1]!));
    expect(stored?.contentType).toBe('application/vnd.cyclonedx+json');

    const before = proxy.requests.length;
    const blobsBefore = proxy.blobRequests();
    const second = await scanImageCached(await imageSource(ref, options), platform, cache);
    expect(second.cached).toBe(true);
    expect(proxy.blobRequests()).toBe(blobsBefore);
    // Only manifests were asked for, to learn the digest.
    expect(proxy.requests.slice(before).every((r) => /\/manifests\//.test(r))).toBe(true);

    const fresh = await scanImage(await resolveImage(ref, options), index, now);
    expect(second.findings).toEqual(fresh.findings);
    expect(fresh.findings.some((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')).toBe(true);
    const names = (r: { packages: Array<{ purl: string; path: string }> }) =>
      r.packages.map((p) => `${p.purl} ${p.path}`).sort();
    expect(names(second)).toEqual(names(fresh));
  });
});
