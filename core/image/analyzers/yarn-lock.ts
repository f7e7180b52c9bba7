import { parseSyml } from '@yarnpkg/parsers';
import semver from 'semver';
import type { Analyzer, ImagePackage } from '../package.js';
import { npmPackage } from './npm.js';

const LOCKFILE = /(^|\/)yarn\.lock$/;
const MAX_BYTES = 64 * 1024 * 1024;

/** The package a descriptor resolves to: `name@range`, `alias@npm:real@range`, berry's `name@npm:1.2.3`. */
function packageName(descriptor: string): string | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at < 0) return undefined;
  const name = descriptor.slice(0, at);
  const aliased = /^npm:((?:@[^/@]+\/)?[^@]+)@/.exec(descriptor.slice(at + 1));
  return aliased ? aliased[1] : name;
}

/**
 * yarn.lock: classic v1 (yarnpkg.com/lang/en/docs/yarn-lock, its own indented syntax) and berry (YAML
 * with `__metadata`), both parsed by yarn's own parser (@yarnpkg/parsers parseSyml). Each entry's
 * keys are the descriptors resolved to it; `version` is what was locked. Workspace, link, portal and
 * file entries are no registry package. yarn.lock does not say which packages are dev-only.
 */
export const yarnLockAnalyzer: Analyzer = {
  name: 'yarn-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && !/(^|\/)node_modules\//.test(path) && size < MAX_BYTES,
  analyze(file) {
    let lock: Record<string, unknown>;
    try {
      lock = parseSyml(file.content.toString('utf8'));
    } catch (error) {
      const where = (error as { location?: { start?: { offset?: number; line?: number } } }).location?.start;
      throw new Error(
        `${file.path} is not a yarn lockfile${where ? ` (line ${where.line}, offset ${where.offset})` : ''}: ${(error as Error).message.split('\n')[0]!.slice(0, 200)}`,
      );
    }
    const packages = new Map<string, ImagePackage>();
    for (const [keys, entry] of Object.entries(lock)) {
      if (keys === '__metadata' || typeof entry !== 'object' || entry === null) continue;
      const version = (entry as { version?: unknown }).version;
      const first = keys.split(',')[0]!.trim();
      const name = packageName(first);
      if (!name || typeof version !== 'string' || !semver.valid(version)) continue;
      if (/@(workspace|link|portal|file|exec):/.test(first)) continue;
      packages.set(`${name}@${version}`, npmPackage(name, version, file.path));
    }
    return [...packages.values()];
  },
};
