import { randomUUID } from 'node:crypto';
import type { ImagePackage } from './package.js';

/** A CycloneDX 1.5 JSON SBOM: the image as the metadata component, every package with its purl. */
export function cycloneDx(
  image: { reference: string; digest: string },
  packages: readonly ImagePackage[],
  toolVersion: string,
  now: Date,
) {
  const unique = new Map<string, ImagePackage>();
  for (const p of packages) if (!unique.has(p.purl)) unique.set(p.purl, p);
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
    components: [...unique.values()].map((p) => ({
      type: 'library',
      'bom-ref': p.purl,
      name: p.name,
      version: p.version,
      purl: p.purl,
      properties: [
        { name: 'seco:ecosystem', value: p.ecosystem },
        { name: 'seco:path', value: p.path },
        ...(p.advisoryName ? [{ name: 'seco:source-package', value: p.advisoryName }] : []),
      ],
    })),
  };
}
