import type { Analyzer, ImagePackage } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { pypiPackage } from './python.js';

const LOCKFILE = /(^|\/)Pipfile\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;

/**
 * Pipfile.lock (pipenv): JSON whose `default` section maps each package to `{"version": "==1.2.3"}`;
 * `develop` holds dev-only packages, left out. Git and path entries have no `version` pin.
 */
export const pipfileLockAnalyzer: Analyzer = {
  name: 'pipfile-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseJsonFile(file);
    const section = (lock as { default?: unknown } | null)?.default;
    if (typeof section !== 'object' || section === null) return [];
    return Object.entries(section).flatMap(([name, entry]): ImagePackage[] => {
      const pin = (entry as { version?: unknown } | null)?.version;
      const version = typeof pin === 'string' ? /^===?\s*([^\s;,]+)$/.exec(pin.trim())?.[1] : undefined;
      if (!version) return [];
      return [pypiPackage(name, version, file.path)];
    });
  },
};
