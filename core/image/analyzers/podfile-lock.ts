import type { Analyzer, ImagePackage } from '../package.js';
import { purlOf } from './purl.js';
import { parseYamlFile } from './structured-file.js';

const LOCKFILE = /(^|\/)Podfile\.lock$/;
const MAX_BYTES = 32 * 1024 * 1024;
/** `Name (1.2.3)` or `Name/Subspec (1.2.3)`: a pod as CocoaPods writes it under PODS. */
const POD = /^([^\s/()]+)(?:\/([^\s()]+))?\s+\(([^()\s]+)\)$/;

/**
 * Podfile.lock (guides.cocoapods.org "Using Podfile.lock"): `PODS` lists every installed pod, a string or
 * a one-key map to its own dependencies; subspecs (`Firebase/Core`) are parts of one pod. OSV has no
 * CocoaPods ecosystem, so these are inventoried for the SBOM and not matched.
 */
export const podfileLockAnalyzer: Analyzer = {
  name: 'podfile-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseYamlFile(file) as { PODS?: unknown } | null;
    if (!Array.isArray(lock?.PODS)) return [];
    const found = new Map<string, ImagePackage>();
    for (const entry of lock.PODS) {
      const text =
        typeof entry === 'string'
          ? entry
          : typeof entry === 'object' && entry
            ? Object.keys(entry)[0]
            : undefined;
      const m = text ? POD.exec(text) : null;
      if (!m) continue;
      const [, name, , version] = m as unknown as [string, string, string | undefined, string];
      found.set(`${name}@${version}`, {
        ecosystem: 'CocoaPods',
        name,
        version,
        purl: purlOf('cocoapods', name, version),
        path: file.path,
      });
    }
    return [...found.values()];
  },
};
