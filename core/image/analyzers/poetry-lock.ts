import type { Analyzer, ImagePackage } from '../package.js';
import { pypiPackage } from './python.js';
import { parseTomlFile } from './structured-file.js';

const LOCKFILE = /(^|\/)poetry\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * poetry.lock: TOML with one `[[package]]` table per locked distribution (`name`, `version`, and
 * `source.type` for git/directory/file/url packages, which are no PyPI release). Poetry < 1.5 wrote
 * `category = "dev"` for dev-only packages, left out here; later lock files no longer say.
 */
export const poetryLockAnalyzer: Analyzer = {
  name: 'poetry-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseTomlFile(file);
    const packages = Array.isArray(lock.package) ? lock.package : [];
    return packages.flatMap((raw): ImagePackage[] => {
      const p = (raw ?? {}) as { name?: unknown; version?: unknown; category?: unknown; source?: unknown };
      const sourceType = (p.source as { type?: unknown } | undefined)?.type;
      if (typeof p.name !== 'string' || typeof p.version !== 'string' || p.category === 'dev') return [];
      if (sourceType !== undefined && sourceType !== 'legacy') return []; // git, directory, file, url
      return [pypiPackage(p.name, p.version, file.path)];
    });
  },
};
