import type { Analyzer, ImagePackage } from '../package.js';
import { purlOf } from './purl.js';
import { parseTomlFile } from './structured-file.js';

const LOCKFILE = /(^|\/)Cargo\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;
/** What Cargo writes as the `source` of a crates.io package, whichever protocol fetched it. */
const CRATES_IO = new Set([
  'registry+https://github.com/rust-lang/crates.io-index',
  'sparse+https://index.crates.io/',
]);

/** A crate of crates.io, the way OSV names it (`crates.io`) and purl-spec types it (`cargo`). */
export function cratePackage(name: string, version: string, path: string): ImagePackage {
  return { ecosystem: 'crates.io', name, version, purl: purlOf('cargo', name, version), path };
}

/**
 * Cargo.lock (doc.rust-lang.org/cargo "Cargo.lock", format versions 1–4): one `[[package]]` table per
 * resolved crate. Only crates.io packages are matched; git, path and other-registry crates are not
 * crates.io releases, and the workspace's own crates (no `source`) are the application itself.
 */
export const cargoLockAnalyzer: Analyzer = {
  name: 'cargo-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseTomlFile(file);
    const packages = Array.isArray(lock.package) ? lock.package : [];
    return packages.flatMap((raw): ImagePackage[] => {
      const p = (raw ?? {}) as { name?: unknown; version?: unknown; source?: unknown };
      if (typeof p.name !== 'string' || typeof p.version !== 'string') return [];
      if (p.source === undefined)
        return [{ ...cratePackage(p.name, p.version, file.path), role: 'application' }];
      return typeof p.source === 'string' && CRATES_IO.has(p.source)
        ? [cratePackage(p.name, p.version, file.path)]
        : [];
    });
  },
};
