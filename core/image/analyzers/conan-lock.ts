import type { Analyzer, ImagePackage } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { purlOf } from './purl.js';

const LOCKFILE = /(^|\/)conan\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;
/**
 * A Conan reference: `name/version[@user/channel][#revision[%timestamp]]`. ConanCenter packages have no
 * user/channel; a reference with one comes from another remote and is not a ConanCenter release.
 */
const REFERENCE = /^([a-z0-9_][a-z0-9_+.-]{1,100})\/([^@#/\s]{1,100})(@[^#\s]*)?(#\S*)?$/;

function conanPackage(reference: string, path: string): ImagePackage | undefined {
  const m = REFERENCE.exec(reference);
  if (!m || (m[3] && m[3] !== '@_/_')) return undefined;
  const [, name, version] = m as unknown as [string, string, string];
  return { ecosystem: 'ConanCenter', name, version, purl: purlOf('conan', name, version), path };
}

/**
 * conan.lock: Conan 2 (`"version": "0.5"`, `requires` — host packages — beside `build_requires` and
 * `python_requires`, tools that are not shipped) and Conan 1 (`graph_lock.nodes`, each with a `ref` and
 * a `context`, `build` for tools).
 */
export const conanLockAnalyzer: Analyzer = {
  name: 'conan-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseJsonFile(file) as { requires?: unknown; graph_lock?: { nodes?: unknown } } | null;
    const references: string[] = [];
    if (Array.isArray(lock?.requires)) {
      references.push(...lock.requires.filter((r): r is string => typeof r === 'string'));
    } else if (typeof lock?.graph_lock?.nodes === 'object' && lock.graph_lock.nodes !== null) {
      for (const node of Object.values(lock.graph_lock.nodes as Record<string, unknown>)) {
        const { ref, context } = (node ?? {}) as { ref?: unknown; context?: unknown };
        if (typeof ref === 'string' && context !== 'build') references.push(ref);
      }
    } else {
      throw new Error(`${file.path} is neither a Conan 2 nor a Conan 1 lockfile`);
    }
    const found = new Map<string, ImagePackage>();
    for (const reference of references) {
      const pkg = conanPackage(reference, file.path);
      if (pkg) found.set(`${pkg.name}@${pkg.version}`, pkg);
    }
    return [...found.values()];
  },
};
