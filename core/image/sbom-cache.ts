import { z } from 'zod';
import type { ObjectStore } from '../store/object-store.js';
import type { VulnIndex } from '../vuln/vuln-db.js';
import type { ImagePackage } from './package.js';
import { cycloneDx } from './sbom.js';
import { rememberSbomAlias } from './sbom-alias.js';
import { executablesFromProperties, executablesProperties } from './sbom-executables.js';
import { findingsOf, type ImageInventory, type ImageScanResult, inventoryImage } from './scan-image.js';
import { checkDigest, type ImageSource, type Platform } from './source/image-source.js';

/**
 * Bumped when what the inventory holds changes shape. The tool version is checked too, so an upgrade
 * that adds an analyzer inventories every image afresh rather than trusting an older SBOM.
 * v2: the image's executable files (`seco:executables`), for the runtime drift rule.
 * v3: npm aliases (`seco:npm-alias`) and applications (`seco:role`), never matched as packages.
 */
const INVENTORY_SCHEMA = 'seco.inventory/v3';
const MAX_SBOM_BYTES = 64 * 1024 * 1024;

/**
 * `sbom/<algorithm>/<hex>.cdx.json`: the design's `sbom/<imageDigest>.cdx.json` with the digest's colon
 * as a folder, so keys stay plain path segments on every S3 server and filesystem.
 */
export function sbomKey(digest: string): string {
  const [algorithm, hex] = checkDigest(digest).split(':') as [string, string];
  return `sbom/${algorithm}/${hex}.cdx.json`;
}

/**
 * The inventory as a CycloneDX 1.5 SBOM: packages as components (sbom.ts), and the image facts findings
 * need besides packages — config user, OS release, masked secret hits, walk problems — and the executable
 * files the runtime drift rule needs, as `seco:` properties of the BOM's metadata (CycloneDX
 * §metadata.properties, the format's extension point).
 */
export function inventorySbom(
  image: { reference: string; digest: string },
  inventory: ImageInventory,
  toolVersion: string,
  now: Date,
) {
  const bom = cycloneDx(image, inventory.packages, toolVersion, now);
  const json = (name: string, value: unknown) => ({ name, value: JSON.stringify(value) });
  return {
    ...bom,
    metadata: {
      ...bom.metadata,
      properties: [
        { name: 'seco:inventory', value: INVENTORY_SCHEMA },
        { name: 'seco:image-user', value: inventory.user },
        ...(inventory.os ? [json('seco:os', inventory.os)] : []),
        ...inventory.secrets.map((s) => json('seco:secret', s)),
        ...inventory.problems.map((p) => json('seco:problem', p)),
        ...executablesProperties(inventory.executables),
      ],
    },
  };
}

const Property = z.object({ name: z.string(), value: z.string() });
const StoredSbom = z.object({
  bomFormat: z.literal('CycloneDX'),
  metadata: z.object({
    tools: z.object({ components: z.array(z.object({ name: z.string(), version: z.string() })).min(1) }),
    properties: z.array(Property),
  }),
  components: z.array(
    z.object({ name: z.string(), version: z.string(), purl: z.string(), properties: z.array(Property) }),
  ),
});
const OsRelease = z.object({
  id: z.string(),
  versionId: z.string().optional(),
  versionCodename: z.string().optional(),
  prettyName: z.string().optional(),
});
const SecretHit = z.object({
  path: z.string(),
  layer: z.string(),
  kinds: z.array(z.string()),
  sample: z.string(),
});
const Problem = z.object({ source: z.string(), message: z.string() });

const valuesOf = (properties: ReadonlyArray<z.infer<typeof Property>>, name: string) =>
  properties.filter((p) => p.name === name).map((p) => p.value);

/** Rebuilds the inventory from a stored SBOM; an SBOM from another tool version or schema is a miss (undefined). */
function inventoryFromSbom(text: string, toolVersion: string, where: string): ImageInventory | undefined {
  let parsed: z.infer<typeof StoredSbom>;
  try {
    parsed = StoredSbom.parse(JSON.parse(text));
  } catch (error) {
    throw new Error(`${where} is not a seco CycloneDX SBOM: ${(error as Error).message.slice(0, 300)}`);
  }
  const meta = parsed.metadata.properties;
  if (valuesOf(meta, 'seco:inventory')[0] !== INVENTORY_SCHEMA) return undefined;
  if (parsed.metadata.tools.components[0]!.version !== toolVersion) return undefined;
  const parse = <T>(schema: z.ZodType<T>, value: string, what: string): T => {
    try {
      return schema.parse(JSON.parse(value));
    } catch {
      throw new Error(`${where}: malformed ${what} property`);
    }
  };
  const packages: ImagePackage[] = parsed.components.flatMap((c) => {
    const ecosystem = valuesOf(c.properties, 'seco:ecosystem')[0];
    if (!ecosystem) throw new Error(`${where}: component ${c.purl} has no seco:ecosystem`);
    const advisoryName = valuesOf(c.properties, 'seco:source-package')[0];
    const advisoryVersion = valuesOf(c.properties, 'seco:source-version')[0];
    const alias = valuesOf(c.properties, 'seco:npm-alias')[0];
    const role = valuesOf(c.properties, 'seco:role')[0] === 'application' ? 'application' : undefined;
    return valuesOf(c.properties, 'seco:path').map((path) => ({
      ecosystem,
      name: c.name,
      version: c.version,
      ...(advisoryName ? { advisoryName } : {}),
      ...(advisoryVersion ? { advisoryVersion } : {}),
      purl: c.purl,
      path,
      ...(alias ? { alias } : {}),
      ...(role ? { role } : {}),
    }));
  });
  const os = valuesOf(meta, 'seco:os')[0];
  const executables = executablesFromProperties(meta, where);
  if (!executables) throw new Error(`${where}: ${INVENTORY_SCHEMA} SBOM without seco:executables`);
  return {
    ...(os ? { os: parse(OsRelease, os, 'seco:os') } : {}),
    packages,
    user: valuesOf(meta, 'seco:image-user')[0] ?? '',
    secrets: valuesOf(meta, 'seco:secret').map((v) => parse(SecretHit, v, 'seco:secret')),
    problems: valuesOf(meta, 'seco:problem').map((v) => parse(Problem, v, 'seco:problem')),
    executables,
  };
}

/** The stored inventory of an image digest, or undefined when none (or none this tool version can use). */
async function loadInventory(
  store: ObjectStore,
  digest: string,
  toolVersion: string,
): Promise<ImageInventory | undefined> {
  const text = await storedSbomText(store, digest);
  return text === undefined
    ? undefined
    : inventoryFromSbom(text, toolVersion, `stored SBOM ${sbomKey(digest)}`);
}

/** The stored SBOM of an image digest as text, or undefined when none; refuses one over the size cap. */
export async function storedSbomText(store: ObjectStore, digest: string): Promise<string | undefined> {
  const key = sbomKey(digest);
  const info = await store.stat(key);
  if (!info) return undefined;
  if (info.size > MAX_SBOM_BYTES)
    throw new Error(`stored SBOM ${key} is ${info.size} bytes, over the ${MAX_SBOM_BYTES}-byte limit`);
  return (await store.get(key))?.toString('utf8');
}

export interface CacheOptions {
  store: ObjectStore;
  vulnIndex?: VulnIndex;
  toolVersion: string;
  now: Date;
}

export interface CachedImageScan extends ImageScanResult {
  /** True when the inventory came from the stored SBOM and no layer was read. */
  cached: boolean;
}

/**
 * Scans an image, pulling it only when no SBOM is stored for its digest (issue 4: "an image whose SBOM
 * is already stored is not pulled again"). The digest comes from manifests alone when the source can
 * give it; a stored SBOM is rebuilt into the inventory and matched against the current advisories, so
 * the findings equal a fresh scan's. A fresh inventory is stored unless a layer could not be read (the
 * walk then knows nothing, and caching that would hide the image's packages for good). A stored SBOM
 * that cannot be read is reported and replaced by a fresh one.
 */
export async function scanImageCached(
  source: ImageSource,
  platform: Platform,
  options: CacheOptions,
): Promise<CachedImageScan> {
  const { store, vulnIndex, toolVersion, now } = options;
  const problems: ImageScanResult['problems'] = [];
  const known = source.imageDigest ? await source.imageDigest(platform) : undefined;
  if (known) {
    await rememberSbomAlias(store, source.reference, platform, known);
    try {
      const stored = await loadInventory(store, known, toolVersion);
      if (stored) {
        return {
          ...findingsOf({ reference: source.reference, digest: known }, stored, vulnIndex, now),
          cached: true,
        };
      }
    } catch (error) {
      problems.push({
        source: sbomKey(known),
        message: `${(error as Error).message}; pulled the image again`,
      });
    }
  }
  const image = await source.resolve(platform);
  const inventory = await inventoryImage(image);
  if (!inventory.problems.some((p) => p.source === 'image')) {
    const sbom = inventorySbom(image, inventory, toolVersion, now);
    await store.put(sbomKey(image.digest), JSON.stringify(sbom), {
      contentType: 'application/vnd.cyclonedx+json',
    });
    if (!known) await rememberSbomAlias(store, source.reference, platform, image.digest);
  }
  const result = findingsOf(image, inventory, vulnIndex, now);
  return { ...result, problems: [...problems, ...result.problems], cached: false };
}
