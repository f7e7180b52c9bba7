import type { Analyzer, ImagePackage } from '../package.js';

/** Installed npm packages: every node_modules/<name>/package.json (scoped names included). */
const PACKAGE_JSON = /(^|\/)node_modules\/((?:@[^/]+\/)?[^/@][^/]*)\/package\.json$/;

export const npmAnalyzer: Analyzer = {
  name: 'npm',
  wants: (path, size) => PACKAGE_JSON.test(path) && size < 1024 * 1024,
  analyze(file) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(file.content.toString('utf8'));
    } catch {
      return []; // a broken package.json is not a package we can name
    }
    const { name, version } = (manifest ?? {}) as { name?: unknown; version?: unknown };
    const dirName = PACKAGE_JSON.exec(file.path)?.[2];
    if (typeof name !== 'string' || typeof version !== 'string' || name !== dirName) return [];
    return [npmPackage(name, version, file.path)];
  },
};

/** An npm package found at `path`. */
export function npmPackage(name: string, version: string, path: string): ImagePackage {
  return { ecosystem: 'npm', name, version, purl: npmPurl(name, version), path };
}

/** purl spec, npm type: the scope's `@` is percent-encoded, the scope stays a namespace segment. */
function npmPurl(name: string, version: string): string {
  const purlName = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:npm/${purlName}@${encodeURIComponent(version)}`;
}
