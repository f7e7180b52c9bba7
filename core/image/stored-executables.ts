import { z } from 'zod';
import type { ObjectStore } from '../store/object-store.js';
import { resolveSbomDigest } from './sbom-alias.js';
import { sbomKey, storedSbomText } from './sbom-cache.js';
import { executablesFromProperties } from './sbom-executables.js';
import type { Platform } from './source/image-source.js';

// Only the metadata properties are read: any seco version that recorded executables will do, unlike
// the inventory, which is trusted only from the same tool version (sbom-cache.ts).
const SbomMetadata = z.object({
  metadata: z.object({ properties: z.array(z.object({ name: z.string(), value: z.string() })).default([]) }),
});

/**
 * The executable paths of an image (by manifest digest) from its stored SBOM. Undefined when no SBOM is
 * stored, it predates the executables field, or the list was capped: an incomplete list would make every
 * binary past the cap look like drift. A store error or a malformed SBOM throws.
 */
export async function storedExecutables(
  store: ObjectStore,
  requested: string,
  /** The node's platform: a multi-platform image is reported by its index digest (sbom-alias.ts). */
  platform?: Platform,
): Promise<ReadonlySet<string> | undefined> {
  const digest = platform ? await resolveSbomDigest(store, requested, platform) : requested;
  const text = await storedSbomText(store, digest);
  if (text === undefined) return undefined;
  const where = `stored SBOM ${sbomKey(digest)}`;
  let properties: z.infer<typeof SbomMetadata>['metadata']['properties'];
  try {
    properties = SbomMetadata.parse(JSON.parse(text)).metadata.properties;
  } catch (error) {
    throw new Error(`${where} is not a CycloneDX SBOM: ${(error as Error).message.slice(0, 300)}`);
  }
  const list = executablesFromProperties(properties, where);
  return list && !list.capped ? new Set(list.paths) : undefined;
}
