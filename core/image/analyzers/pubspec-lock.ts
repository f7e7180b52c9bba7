import type { Analyzer, ImagePackage } from '../package.js';
import { purlOf } from './purl.js';
import { parseYamlFile } from './structured-file.js';

const LOCKFILE = /(^|\/)pubspec\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;
/** Dart package names: lower-case identifiers (dart.dev/tools/pub/pubspec#name). */
const PUB_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * pubspec.lock (dart.dev/tools/pub): `packages.<name>` with `dependency` ("direct main", "direct dev",
 * "direct overridden", "transitive"), `source` (hosted, git, path, sdk) and `version`. Only hosted
 * packages are pub.dev releases (OSV `Pub`); dev dependencies are not part of a built application.
 */
export const pubspecLockAnalyzer: Analyzer = {
  name: 'pubspec-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseYamlFile(file) as { packages?: unknown } | null;
    const packages = lock?.packages;
    if (typeof packages !== 'object' || packages === null) return [];
    return Object.entries(packages).flatMap(([name, raw]): ImagePackage[] => {
      const p = (raw ?? {}) as { dependency?: unknown; source?: unknown; version?: unknown };
      if (!PUB_NAME.test(name) || typeof p.version !== 'string') return [];
      if (p.source !== 'hosted' || p.dependency === 'direct dev') return [];
      return [
        { ecosystem: 'Pub', name, version: p.version, purl: purlOf('pub', name, p.version), path: file.path },
      ];
    });
  },
};
