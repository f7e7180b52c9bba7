import { randomUUID } from 'node:crypto';
import type { ImagePackage } from './package.js';

/** A CycloneDX 1.5 JSON SBOM: the image as the metadata component, every package with its purl. */
export function cycloneDx(
  image: { reference: string; digest: string },
  packages: readonly ImagePackage[],
  toolVersion: string,
  now: Date,
) {
  // One component per purl (bom-refs are unique); every place it was found is a `seco:path` property
  // (CycloneDX properties may repeat a name).
  const unique = new Map<string, { pkg: ImagePackage; paths: string[] }>();
  for (const p of packages) {
    const seen = unique.get(p.purl);
    if (seen) seen.paths.push(p.path);
    else unique.set(p.purl, { pkg: p, paths: [p.path] });
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: 'seco', version: toolVersion }] },
      component: {
        type: 'container',
        name: image.reference,
        version: image.digest,
        'bom-ref': image.digest,
      },
    },
    components: [...unique.values()].map(({ pkg: p, paths }) => ({
      type: 'library',
      'bom-ref': p.purl,
      name: p.name,
      version: p.version,
      purl: p.purl,
      properties: [
        { name: 'seco:ecosystem', value: p.ecosystem },
        ...paths.map((path) => ({ name: 'seco:path', value: path })),
        ...(p.advisoryName ? [{ name: 'seco:source-package', value: p.advisoryName }] : []),
        ...(p.advisoryVersion ? [{ name: 'seco:source-version', value: p.advisoryVersion }] : []),
      ],
    })),
  };
}
