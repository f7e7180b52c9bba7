/** An OSV ecosystem string split into its base and release: `Debian:12` → {base: 'Debian', release: '12'}. */
export interface EcosystemName {
  base: string;
  release?: string;
}

export function parseEcosystem(value: string): EcosystemName {
  const colon = value.indexOf(':');
  if (colon < 0) return { base: value };
  return { base: value.slice(0, colon), release: value.slice(colon + 1) };
}

/**
 * Package names as each ecosystem compares them: PyPI per PEP 503; NuGet ids and Packagist names
 * case-insensitively (NuGet's PackageIdComparer; Composer lower-cases names); the rest exactly.
 */
export function normalizePackageName(base: string, name: string): string {
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (base === 'NuGet' || base === 'Packagist') return name.toLowerCase();
  return name;
}

export function packageKey(base: string, name: string): string {
  return `${base}\u0000${normalizePackageName(base, name)}`;
}
