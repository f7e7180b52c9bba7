import { randomUUID } from 'node:crypto';
import { npmDependencyGraph } from './dependency-graph.js';
import type { ImagePackage } from './package.js';

/**
 * A CycloneDX 1.5 JSON SBOM: the image as the metadata component, its applications (root manifests) as
 * `application` components, every package as a `library` with its purl, and the dependency graph
 * (CycloneDX §dependencies) from the image down through the applications to what each package requires.
 */
export function cycloneDx(
  image: { reference: string; digest: string },
  packages: readonly ImagePackage[],
  toolVersion: string,
  now: Date,
) {
  // One component per purl (bom-refs are unique); every place it was found is a `seco:path` property
  // (CycloneDX properties may repeat a name).
  const unique = new Map<string, { pkg: ImagePackage; paths: string[]; aliases: Set<string> }>();
  for (const p of packages) {
    const seen = unique.get(p.purl) ?? { pkg: p, paths: [], aliases: new Set<string>() };
    seen.paths.push(p.path);
    if (p.alias) seen.aliases.add(p.alias);
    unique.set(p.purl, seen);
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
    components: [...unique.values()].map(({ pkg: p, paths, aliases }) => ({
      type: p.role === 'application' ? 'application' : 'library',
      'bom-ref': p.purl,
      name: p.name,
      version: p.version,
      purl: p.purl,
      properties: [
        { name: 'seco:ecosystem', value: p.ecosystem },
        ...paths.map((path) => ({ name: 'seco:path', value: path })),
        ...(p.advisoryName ? [{ name: 'seco:source-package', value: p.advisoryName }] : []),
        ...(p.advisoryVersion ? [{ name: 'seco:source-version', value: p.advisoryVersion }] : []),
        ...[...aliases].map((alias) => ({ name: 'seco:npm-alias', value: alias })),
        ...(p.role ? [{ name: 'seco:role', value: p.role }] : []),
      ],
    })),
    dependencies: dependenciesOf(image.digest, packages),
  };
}

/** CycloneDX `dependencies`: the image depends on its applications; each npm component on what it requires. */
function dependenciesOf(imageRef: string, packages: readonly ImagePackage[]) {
  const applications = new Set(packages.filter((p) => p.role === 'application').map((p) => p.purl));
  const graph = npmDependencyGraph(packages);
  return [
    ...(applications.size > 0 ? [{ ref: imageRef, dependsOn: [...applications].sort() }] : []),
    ...[...graph].map(([ref, on]) => ({ ref, dependsOn: [...on].sort() })),
  ];
}
