import { type Finding, fingerprint, type ResourceRef } from '../model/index.js';
import { matchPackages } from '../vuln/match.js';
import type { VulnIndex } from '../vuln/vuln-db.js';
import { ANALYZERS } from './analyzers/index.js';
import { OS_RELEASE_PATHS, parseOsRelease } from './analyzers/os-release.js';
import { walkLayers } from './layers/walk-layers.js';
import type { ImagePackage, OsRelease } from './package.js';
import { secretFindings, wantsSecretCandidate } from './secrets-in-layers.js';
import type { ResolvedImage } from './source/image-source.js';

export interface ImageScanResult {
  image: ResourceRef;
  os?: OsRelease;
  packages: ImagePackage[];
  findings: Finding[];
  problems: Array<{ source: string; message: string }>;
}

/** Walks the image once, inventories its packages, then matches them (when a vuln index is given). */
export async function scanImage(
  image: ResolvedImage,
  vulnIndex: VulnIndex | undefined,
  now: Date,
): Promise<ImageScanResult> {
  const extra = (path: string, size: number) =>
    OS_RELEASE_PATHS.includes(path) || wantsSecretCandidate(path, size);
  const walk = await walkLayers(image.layers, ANALYZERS, extra);
  const osFile = OS_RELEASE_PATHS.map((p) => walk.files.find((f) => f.path === p)).find(Boolean);
  const os = osFile ? parseOsRelease(osFile.content.toString('utf8')) : undefined;
  const packages: ImagePackage[] = [];
  for (const file of walk.files) {
    for (const analyzer of ANALYZERS) {
      if (file.reducedBy ? file.reducedBy !== analyzer.name : !analyzer.wants(file.path, file.content.length))
        continue;
      packages.push(
        ...(await analyzer.analyze({ path: file.path, content: file.content }, os ? { os } : {})),
      );
    }
  }
  const resource: ResourceRef = {
    kind: 'Image',
    name: image.reference,
    image: `${image.reference}@${image.digest}`,
  };
  const seenAt = now.toISOString();
  const findings = [
    ...configFindings(image, resource, seenAt),
    ...secretFindings(walk.files, resource, seenAt),
    ...(vulnIndex ? matchPackages(packages, vulnIndex, resource, seenAt) : []),
  ];
  return { image: resource, ...(os ? { os } : {}), packages, findings, problems: walk.problems };
}

/** The image config's own problem: a container that runs as root unless the pod says otherwise. */
function configFindings(image: ResolvedImage, resource: ResourceRef, seenAt: string): Finding[] {
  const user = image.config.config?.User?.trim() ?? '';
  const root = user === '' || /^(root|0)(:.*)?$/.test(user);
  if (!root) return [];
  return [
    {
      id: fingerprint('image-user-root', resource),
      scanner: 'image',
      ruleId: 'image-user-root',
      title: 'Image runs as root',
      severity: 'medium',
      resource,
      evidence:
        user === ''
          ? 'the image config sets no User: processes start as root'
          : `the image config sets User ${JSON.stringify(user)}`,
      remediation: 'Add a non-root USER to the image (and runAsNonRoot in the pod).',
      references: [
        { kind: 'cis', id: '4.1 (CIS Docker Benchmark)', url: 'https://www.cisecurity.org/benchmark/docker' },
      ],
      firstSeen: seenAt,
      lastSeen: seenAt,
      status: 'open',
    },
  ];
}
