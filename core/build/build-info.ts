import { readFileSync } from 'node:fs';

/** What a build of seco is: shown by `version`, sent in `hello` and heartbeats, reported by `status`. */
export interface BuildInfo {
  /** package.json's version, without a leading v */
  version: string;
  /** the git commit the build was made from, or 'unknown' */
  commit: string;
}

/**
 * Bundled builds (the release executable, the image) get this replaced by esbuild's `define` with
 * the JSON of a BuildInfo; in `dist/` it stays undeclared and `dist/build-info.json`, written by
 * `npm run build` (tools/write-build-info.js), is read instead.
 */
declare const __SECO_BUILD_INFO__: BuildInfo | undefined;

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  if (typeof __SECO_BUILD_INFO__ !== 'undefined') {
    cached = __SECO_BUILD_INFO__;
    return cached;
  }
  try {
    // dist/core/build/build-info.js → dist/build-info.json
    const raw = JSON.parse(
      readFileSync(new URL('../../build-info.json', import.meta.url), 'utf8'),
    ) as Partial<BuildInfo>;
    cached = { version: String(raw.version ?? '0.0.0'), commit: String(raw.commit ?? 'unknown') };
  } catch {
    cached = { version: '0.0.0', commit: 'unknown' };
  }
  return cached;
}
