import type { Analyzer, ImagePackage } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { purlOf } from './purl.js';

const LOCKFILE = /(^|\/)Package\.resolved$/;
const MAX_BYTES = 16 * 1024 * 1024;

/**
 * The OSV `SwiftURL` name of a package: its repository URL without scheme, credentials and `.git`
 * (`https://github.com/apple/swift-nio.git` → `github.com/apple/swift-nio`); undefined for local paths.
 */
export function swiftUrlName(location: string): string | undefined {
  let url: URL;
  try {
    url = new URL(location.replace(/^git@([^:]+):/, 'ssh://$1/'));
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol) || !url.hostname) return undefined;
  const path = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  return path.length > 1 ? `${url.hostname}${path}` : undefined;
}

/**
 * Package.resolved of the Swift Package Manager: version 1 (`object.pins[]` with `repositoryURL`) and
 * versions 2–3 (`pins[]` with `location`); `state.version` is set for version-pinned packages, while
 * branch- and revision-pinned ones have no release to match and are left out.
 */
export const swiftResolvedAnalyzer: Analyzer = {
  name: 'swift-resolved',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const data = parseJsonFile(file) as { pins?: unknown; object?: { pins?: unknown } } | null;
    const pins = data?.pins ?? data?.object?.pins;
    if (!Array.isArray(pins)) throw new Error(`${file.path} has no pins list`);
    return pins.flatMap((raw): ImagePackage[] => {
      const pin = (raw ?? {}) as {
        location?: unknown;
        repositoryURL?: unknown;
        state?: { version?: unknown };
      };
      const location = typeof pin.location === 'string' ? pin.location : pin.repositoryURL;
      const version = pin.state?.version;
      const name = typeof location === 'string' ? swiftUrlName(location) : undefined;
      if (!name || typeof version !== 'string') return [];
      const cut = name.lastIndexOf('/');
      const purl = purlOf('swift', name.slice(cut + 1), version, { namespace: name.slice(0, cut) });
      return [{ ecosystem: 'SwiftURL', name, version, purl, path: file.path }];
    });
  },
};
