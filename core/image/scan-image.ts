import { type Finding, fingerprint, type ResourceRef } from '../model/index.js';
import { normalizePackageName } from '../vuln/ecosystem.js';
import { matchPackages } from '../vuln/match.js';
import type { VulnIndex } from '../vuln/vuln-db.js';
import { ANALYZERS } from './analyzers/index.js';
import { applicationsWithInstalls } from './analyzers/npm-application.js';
import { OS_RELEASE_PATHS, parseOsRelease } from './analyzers/os-release.js';
import type { ExecutableList } from './layers/executables.js';
import type { LayerWorkerScript } from './layers/layer-pool.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits, walkLayers } from './layers/walk-layers.js';
import type { ImagePackage, OsRelease } from './package.js';
import { SCAN_LAYER_WORKER, scanExtraWanted } from './scan-wanted.js';
import { type SecretHit, secretFindings, secretHits } from './secrets-in-layers.js';
import type { ResolvedImage } from './source/image-source.js';

export interface ImageScanResult {
  image: ResourceRef;
  os?: OsRelease;
  packages: ImagePackage[];
  findings: Finding[];
  problems: Array<{ source: string; message: string }>;
}

/**
 * What one walk of an image yields, before any advisory is consulted: everything findings are made
 * from, so an inventory stored as an SBOM (sbom-cache.ts) gives the same findings without the layers.
 */
export interface ImageInventory {
  os?: OsRelease;
  packages: ImagePackage[];
  /** The image config's `User`, trimmed; '' when unset. */
  user: string;
  secrets: SecretHit[];
  /** Executable files of the final filesystem: what the runtime drift rule checks a process against. */
  executables: ExecutableList;
  problems: Array<{ source: string; message: string }>;
}

/** Walks the image once, inventories its packages, then matches them (when a vuln index is given). */
export async function scanImage(
  image: ResolvedImage,
  vulnIndex: VulnIndex | undefined,
  now: Date,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<ImageScanResult> {
  return findingsOf(image, await inventoryImage(image, limits), vulnIndex, now);
}

/**
 * Walks the image's layers once: OS release, packages, masked secrets, executables, and the config's
 * user. Layers are read in worker threads running `layerWorker` (see walkLayers).
 */
export async function inventoryImage(
  image: ResolvedImage,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
  layerWorker: LayerWorkerScript | undefined = SCAN_LAYER_WORKER,
): Promise<ImageInventory> {
  const walk = await walkLayers(image.layers, ANALYZERS, scanExtraWanted, limits, layerWorker);
  const osFile = OS_RELEASE_PATHS.map((p) => walk.files.find((f) => f.path === p)).find(Boolean);
  const os = osFile ? parseOsRelease(osFile.content.toString('utf8')) : undefined;
  const installed: ImagePackage[] = [];
  const declared: ImagePackage[] = [];
  const problems = [...walk.problems];
  for (const file of walk.files) {
    for (const analyzer of ANALYZERS) {
      if (file.reducedBy ? file.reducedBy !== analyzer.name : !analyzer.wants(file.path, file.content.length))
        continue;
      try {
        (analyzer.declared ? declared : installed).push(
          ...(await analyzer.analyze({ path: file.path, content: file.content }, os ? { os } : {})),
        );
      } catch (error) {
        // A malformed database or lockfile is reported, and the rest of the image still inventoried.
        const message = (error as Error).message;
        problems.push({
          source: `analyzer ${analyzer.name}`,
          message: message.includes(file.path) ? message : `${file.path}: ${message}`,
        });
      }
    }
  }
  return {
    ...(os ? { os } : {}),
    packages: applicationsWithInstalls(withDeclared(installed, declared)),
    user: image.config.config?.User?.trim() ?? '',
    secrets: secretHits(walk.files),
    executables: walk.executables,
    problems,
  };
}

/** Installed packages, then the lockfile-only ones: a name@version found installed is not counted twice. */
function withDeclared(installed: ImagePackage[], declared: ImagePackage[]): ImagePackage[] {
  const key = (p: ImagePackage) =>
    `${p.ecosystem}\u0000${normalizePackageName(p.ecosystem, p.name)}\u0000${p.version}`;
  const seen = new Set(installed.filter((p) => p.role !== 'application').map(key));
  return [...installed, ...declared.filter((p) => !seen.has(key(p)))];
}

/** The findings of an inventory: the config's root user, secrets in layers, and vulnerable packages. */
export function findingsOf(
  image: { reference: string; digest: string },
  inventory: ImageInventory,
  vulnIndex: VulnIndex | undefined,
  now: Date,
): ImageScanResult {
  const resource: ResourceRef = {
    kind: 'Image',
    name: image.reference,
    image: `${image.reference}@${image.digest}`,
  };
  const seenAt = now.toISOString();
  const findings = [
    ...configFindings(inventory.user, resource, seenAt),
    ...secretFindings(inventory.secrets, resource, seenAt),
    ...(vulnIndex ? matchPackages(inventory.packages, vulnIndex, resource, seenAt) : []),
  ];
  const { os, packages, problems } = inventory;
  return { image: resource, ...(os ? { os } : {}), packages, findings, problems };
}

/** The image config's own problem: a container that runs as root unless the pod says otherwise. */
function configFindings(user: string, resource: ResourceRef, seenAt: string): Finding[] {
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
