import type { Analyzer, ImagePackage } from '../package.js';

/** Installed npm packages: every node_modules/<name>/package.json (scoped names included). */
const PACKAGE_JSON = /(^|\/)node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/;
/**
 * A registry package name as validate-npm-package-name allows it for packages already published: URL-safe
 * characters, an optional scope, no leading dot (legacy names such as `JSONStream` keep
 * their capitals), at most 214 characters.
 */
const NPM_NAME = /^(?:@[\w~!*'()-][\w.~!*'()-]*\/)?[\w~!*'()-][\w.~!*'()-]*$/;

export const npmAnalyzer: Analyzer = {
  name: 'npm',
  wants: (path, size) => PACKAGE_JSON.test(path) && size < 1024 * 1024,
  analyze(file) {
    const manifest = parseManifest(file.content);
    const dirName = PACKAGE_JSON.exec(file.path)?.[2];
    if (!manifest || !dirName) return [];
    const { name, version } = manifest;
    // A folder named other than the package is an npm alias (`"string-width-cjs": "npm:string-width@^4"`):
    // the real package is installed there, and it is what advisories name.
    const pkg = npmPackage(name, version, file.path);
    return [{ ...pkg, ...(name !== dirName ? { alias: dirName } : {}), ...requiresOf(manifest) }];
  },
};

/** The fields of a package.json seco reads; undefined when it names no valid package and version. */
export function parseManifest(content: Buffer): NpmManifest | undefined {
  let manifest: unknown;
  try {
    manifest = JSON.parse(content.toString('utf8'));
  } catch {
    return undefined; // a broken package.json is not a package we can name
  }
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const { name, version } = manifest as Record<string, unknown>;
  if (typeof name !== 'string' || typeof version !== 'string') return undefined;
  if (name.length > 214 || !NPM_NAME.test(name) || version.length > 256) return undefined;
  return { ...(manifest as object), name, version } as NpmManifest;
}

export interface NpmManifest {
  name: string;
  version: string;
  dependencies?: unknown;
  optionalDependencies?: unknown;
  peerDependencies?: unknown;
}

/**
 * The names a manifest depends on at run time: dependencies, optional and peer ones (npm 7+ installs
 * peers); devDependencies are not in an image's production tree, and when they are installed they
 * are found as packages all the same.
 */
export function requiresOf(manifest: NpmManifest): { requires?: string[] } {
  const names = new Set<string>();
  for (const field of [manifest.dependencies, manifest.optionalDependencies, manifest.peerDependencies]) {
    if (typeof field !== 'object' || field === null || Array.isArray(field)) continue;
    for (const name of Object.keys(field)) if (NPM_NAME.test(name)) names.add(name);
  }
  return names.size > 0 ? { requires: [...names].sort() } : {};
}

/** An npm package found at `path`. */
export function npmPackage(name: string, version: string, path: string): ImagePackage {
  return { ecosystem: 'npm', name, version, purl: npmPurl(name, version), path };
}

/** purl spec, npm type: the scope's `@` is percent-encoded, the scope stays a namespace segment. */
function npmPurl(name: string, version: string): string {
  const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:npm/${purlName}@${encodeURIComponent(version)}`;
}
