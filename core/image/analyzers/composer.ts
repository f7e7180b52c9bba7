import type { Analyzer, ImagePackage } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { purlOf } from './purl.js';

/**
 * PHP packages (getcomposer.org/doc): an application's `composer.lock` (`packages`, with dev-only ones in
 * `packages-dev`), and what Composer installed, `vendor/composer/installed.json` (Composer 1: a list;
 * Composer 2: `{packages, dev-package-names}`). Package names are `vendor/name`, lower case (Packagist).
 */
const LOCKFILE = /(^|\/)composer\.lock$/;
const INSTALLED = /(^|\/)vendor\/composer\/installed\.json$/;
const MAX_BYTES = 64 * 1024 * 1024;

/** A Packagist package, named the way OSV does (`Packagist`, `vendor/name`). */
function packagistPackage(name: string, version: string, path: string): ImagePackage {
  const [vendor, project] = name.split('/') as [string, string];
  return {
    ecosystem: 'Packagist',
    name,
    version,
    purl: purlOf('composer', project, version, { namespace: vendor }),
    path,
  };
}

const VENDOR_NAME = /^[a-z0-9]([_.-]?[a-z0-9]+)*\/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$/;

function packagesOf(list: unknown, path: string, dev: ReadonlySet<string>): ImagePackage[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw): ImagePackage[] => {
    const p = (raw ?? {}) as { name?: unknown; version?: unknown };
    if (typeof p.name !== 'string' || typeof p.version !== 'string') return [];
    const name = p.name.toLowerCase();
    // Platform packages (php, ext-*) and malformed names are no Packagist releases; dev-only ones are not shipped.
    if (!VENDOR_NAME.test(name) || dev.has(name)) return [];
    return [packagistPackage(name, p.version, path)];
  });
}

/** composer.lock: what the application declares; `packages-dev` is left out (`composer install --no-dev`). */
export const composerLockAnalyzer: Analyzer = {
  name: 'composer-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && !path.includes('vendor/') && size < MAX_BYTES,
  analyze(file) {
    const data = parseJsonFile(file);
    if (typeof data !== 'object' || data === null || Array.isArray(data))
      throw new Error(`${file.path} is not a composer.lock object`);
    return packagesOf((data as Record<string, unknown>).packages, file.path, new Set());
  },
};

/** vendor/composer/installed.json: what Composer installed, without the packages it lists as dev-only. */
export const composerInstalledAnalyzer: Analyzer = {
  name: 'composer-installed',
  wants: (path, size) => INSTALLED.test(path) && size < MAX_BYTES,
  analyze(file) {
    const data = parseJsonFile(file);
    if (Array.isArray(data)) return packagesOf(data, file.path, new Set()); // Composer 1
    if (typeof data !== 'object' || data === null) throw new Error(`${file.path} is not a Composer object`);
    const { packages, 'dev-package-names': devNames } = data as Record<string, unknown>;
    const dev = new Set(
      Array.isArray(devNames)
        ? devNames.filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase())
        : [],
    );
    return packagesOf(packages, file.path, dev);
  },
};
