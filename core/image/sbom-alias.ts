import type { ObjectStore } from '../store/object-store.js';
import type { Platform } from './source/image-source.js';
import { checkDigest } from './source/image-source.js';

const DIGEST_IN_REFERENCE = /@(sha256:[0-9a-f]{64})$/;

/**
 * `sbom/index/sha256/<hex>/<os>-<arch>[-<variant>]`: which platform manifest an image index resolved to.
 * Kubelets report a multi-platform image by its index digest (`imageID`), while its SBOM is kept under
 * the platform manifest's digest; the alias lets a lookup by what the pod runs find it.
 */
function sbomAliasKey(indexDigest: string, platform: Platform): string {
  const [algorithm, hex] = checkDigest(indexDigest).split(':') as [string, string];
  const name = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('-');
  return `sbom/index/${algorithm}/${hex}/${name.replace(/[^a-z0-9-]/g, '_')}`;
}

/** Remembers that `reference` (when pinned by a digest other than `digest`) resolved to `digest` here. */
export async function rememberSbomAlias(
  store: ObjectStore,
  reference: string,
  platform: Platform,
  digest: string,
): Promise<void> {
  const pinned = DIGEST_IN_REFERENCE.exec(reference)?.[1];
  if (!pinned || pinned === digest) return;
  await store.put(sbomAliasKey(pinned, platform), digest, { contentType: 'text/plain' });
}

/** The platform manifest digest an index digest resolved to, or the digest itself when there is no alias. */
export async function resolveSbomDigest(
  store: ObjectStore,
  digest: string,
  platform: Platform,
): Promise<string> {
  const alias = await store.get(sbomAliasKey(digest, platform));
  const target = alias?.toString('utf8').trim();
  return target && /^sha256:[0-9a-f]{64}$/.test(target) ? target : digest;
}
