import type { ResourceRef } from './finding.js';

/**
 * A finding's stable id: rule + the identity of the resource + package@version, hashed to 64 bits
 * (two 32-bit FNV-1a variants with different offsets). Stable across runs and machines; not a secret,
 * so no cryptographic hash is needed, and this runs once per finding on hot paths. Source file and
 * line are left out on purpose, so moving a manifest does not make an old finding look new.
 */
export function fingerprint(
  ruleId: string,
  resource: ResourceRef,
  pkg?: { name: string; version: string },
): string {
  const identity = [
    ruleId,
    resource.cluster ?? '',
    resource.namespace ?? '',
    resource.kind ?? '',
    resource.name ?? '',
    resource.container ?? '',
    resource.node ?? '',
    resource.image ?? '',
    pkg ? `${pkg.name}@${pkg.version}` : '',
  ].join('\u0000');
  return hex32(fnv1a(identity, 0x811c9dc5)) + hex32(fnv1a(identity, 0x01000193 ^ 0x9e3779b9));
}

function fnv1a(text: string, offset: number): number {
  let hash = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so near-identical inputs differ in every hex digit.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Table lookup: Number#toString(16) + padStart showed up in profiles of large scans.
function hex32(n: number): string {
  return (
    HEX_BYTE[n >>> 24]! + HEX_BYTE[(n >>> 16) & 0xff]! + HEX_BYTE[(n >>> 8) & 0xff]! + HEX_BYTE[n & 0xff]!
  );
}
