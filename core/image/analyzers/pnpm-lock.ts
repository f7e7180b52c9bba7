import semver from 'semver';
import type { Analyzer, ImagePackage } from '../package.js';
import { npmPackage } from './npm.js';
import { parseYamlFile } from './structured-file.js';

const LOCKFILE = /(^|\/)pnpm-lock\.yaml$/;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * The name and version in a `packages` key: `/name/1.2.3_peer@1` (lockfile 5.x), `/name@1.2.3(peer@1)`
 * (6.x), `name@1.2.3` (9.x); scoped names keep their leading `@`.
 */
function parseKey(key: string, slashForm: boolean): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '').replace(/\(.*$/, '');
  const split = slashForm ? bare.lastIndexOf('/') : bare.lastIndexOf('@');
  if (split <= 0) return undefined;
  const version = bare.slice(split + 1).replace(/_.*$/, '');
  return semver.valid(version) ? { name: bare.slice(0, split), version } : undefined;
}

/**
 * pnpm-lock.yaml (pnpm.io/git "pnpm-lock.yaml"), parsed as the YAML it is: every key of `packages`.
 * 5.x and 6.x mark dev-only packages `dev: true`, which are left out; 9.x no longer says, so all count.
 */
export const pnpmLockAnalyzer: Analyzer = {
  name: 'pnpm-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && !/(^|\/)node_modules\//.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lock = parseYamlFile(file);
    const { lockfileVersion, packages } = (lock ?? {}) as { lockfileVersion?: unknown; packages?: unknown };
    if (typeof packages !== 'object' || packages === null) return [];
    const slashForm = Number.parseFloat(String(lockfileVersion)) < 6;
    const found = new Map<string, ImagePackage>();
    for (const [key, entry] of Object.entries(packages)) {
      if ((entry as { dev?: unknown } | null)?.dev === true) continue;
      const p = parseKey(key, slashForm);
      if (!p) continue;
      found.set(`${p.name}@${p.version}`, npmPackage(p.name, p.version, file.path));
    }
    return [...found.values()];
  },
};
