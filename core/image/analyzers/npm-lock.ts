import semver from 'semver';
import { isRecord } from '../../kube/types.js';
import type { Analyzer } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { npmPackage } from './npm.js';

// npm's lockfiles of an application (not the hidden node_modules/.package-lock.json, and not those
// shipped inside installed packages: node_modules is read as installed by npm.ts).
const LOCKFILE = /(^|\/)(package-lock|npm-shrinkwrap)\.json$/;
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_PACKAGES = 1_000_000;

interface LockEntry {
  name?: unknown;
  version?: unknown;
  dev?: unknown;
  link?: unknown;
  dependencies?: unknown;
}

/** `npm:real@1.2.3` (an alias, lockfile v1) or a plain version; git, file and URL specs are no registry version. */
function nameAndVersion(name: string, version: unknown): { name: string; version: string } | undefined {
  if (typeof version !== 'string') return undefined;
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
  const [real, exact] = alias ? [alias[1]!, alias[2]!] : [name, version];
  return semver.valid(exact) ? { name: real, version: exact } : undefined;
}

/**
 * package-lock.json / npm-shrinkwrap.json (docs.npmjs.com "package-lock.json"): lockfileVersion 2 and
 * 3 list every installed path under `packages` (`node_modules/a/node_modules/@s/b`, with `name` for
 * aliases and `link` for workspaces); version 1 nests `dependencies`. Dev-only packages (`dev: true`)
 * are left out: `npm ci --omit=dev` does not install them in an image.
 */
export const npmLockAnalyzer: Analyzer = {
  name: 'npm-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && !/(^|\/)node_modules\//.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseJsonFile(file);
    if (!isRecord(lock)) throw new Error(`${file.path} is not a package-lock object`);
    const found: Array<{ name: string; version: string }> = [];
    if (isRecord(lock.packages)) {
      for (const [key, raw] of Object.entries(lock.packages)) {
        if (key === '' || !isRecord(raw)) continue;
        const entry = raw as LockEntry;
        if (entry.link === true || entry.dev === true) continue;
        const installedAs = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
        const named = nameAndVersion(
          typeof entry.name === 'string' ? entry.name : installedAs,
          entry.version,
        );
        if (named) found.push(named);
      }
    } else if (isRecord(lock.dependencies)) {
      // v1: walked with a stack, not recursion, so a hostile nesting depth cannot overflow it.
      const stack: Array<Record<string, unknown>> = [lock.dependencies];
      while (stack.length > 0) {
        for (const [name, raw] of Object.entries(stack.pop()!)) {
          if (!isRecord(raw)) continue;
          const entry = raw as LockEntry;
          if (entry.dev === true) continue;
          const named = nameAndVersion(name, entry.version);
          if (named) found.push(named);
          if (isRecord(entry.dependencies)) stack.push(entry.dependencies);
        }
        if (found.length > MAX_PACKAGES) throw new Error(`${file.path}: more than ${MAX_PACKAGES} packages`);
      }
    }
    return unique(found).map((p) => npmPackage(p.name, p.version, file.path));
  },
};

function unique(list: Array<{ name: string; version: string }>) {
  return [...new Map(list.map((p) => [`${p.name}@${p.version}`, p])).values()];
}
