import type { Analyzer, ImagePackage } from '../package.js';
import { npmPackage, parseManifest, requiresOf } from './npm.js';

/** A package.json outside any node_modules folder: an application's own manifest, or a stray copy. */
const ROOT_MANIFEST = /(^|\/)package\.json$/;
/** Distribution-packaged Node modules (Debian's /usr/share/nodejs): dpkg names them, not npm. */
const SYSTEM_FOLDERS = /^(usr\/share|usr\/lib)\//;

/**
 * The image's Node.js applications: a root package.json (name and version) becomes an application
 * component of the SBOM, with its dependencies as the root of the dependency graph. It is kept only
 * where something was installed for it (applicationsWithInstalls), so an `examples/` or `test/` folder
 * inside the project does not pose as an application.
 */
export const npmApplicationAnalyzer: Analyzer = {
  name: 'npm-application',
  wants: (path, size) =>
    ROOT_MANIFEST.test(path) &&
    !path.includes('node_modules/') &&
    !SYSTEM_FOLDERS.test(path) &&
    size < 1024 * 1024,
  analyze(file) {
    const manifest = parseManifest(file.content);
    if (!manifest) return [];
    const app = npmPackage(manifest.name, manifest.version, file.path);
    return [{ ...app, role: 'application', ...requiresOf(manifest) }];
  },
};

/** Where a manifest's installed dependencies or lockfile live: its own folder ('' for the root). */
const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * npm applications that have an install beside them (other ecosystems' applications come from lockfiles
 * and binaries, so they stand): a node_modules folder with packages in it, or a
 * lockfile (package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml) in the same folder.
 */
export function applicationsWithInstalls(packages: readonly ImagePackage[]): ImagePackage[] {
  const installed = new Set<string>();
  for (const p of packages) {
    if (p.ecosystem !== 'npm' || p.role === 'application') continue;
    const modules = p.path.indexOf('node_modules/');
    installed.add(modules >= 0 ? p.path.slice(0, modules) : folderOf(p.path));
  }
  return packages.filter(
    (p) => p.role !== 'application' || p.ecosystem !== 'npm' || installed.has(folderOf(p.path)),
  );
}
