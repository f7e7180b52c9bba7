import type { Analyzer, ImagePackage } from '../package.js';
import { parseJsonFile } from './json-file.js';
import { purlOf } from './purl.js';

/**
 * .NET packages: `<app>.deps.json`, written by the SDK beside every published application (the runtime
 * reads it to load assemblies: `libraries` keyed `Name/Version`, `type: "package"` for NuGet packages,
 * `project` for the application's own), and `packages.lock.json` (NuGet's lock file: per target
 * framework, `resolved` versions, `type` Direct/Transitive/CentralTransitive/Project).
 */
const DEPS_JSON = /\.deps\.json$/;
const PACKAGES_LOCK = /(^|\/)packages\.lock\.json$/;
const MAX_BYTES = 64 * 1024 * 1024;
/** NuGet ids: letters, digits, `.`, `_`, `-`, at most 100 characters (NuGet's PackageIdValidator). */
const NUGET_ID = /^\w+([.-]\w+)*$/;

function nugetPackage(name: string, version: string, path: string): ImagePackage | undefined {
  if (name.length > 100 || !NUGET_ID.test(name) || version.length > 256) return undefined;
  return { ecosystem: 'NuGet', name, version, purl: purlOf('nuget', name, version), path };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A published application's `*.deps.json`: its NuGet libraries, and itself (the `project`) as the application. */
export const dotnetDepsAnalyzer: Analyzer = {
  name: 'dotnet-deps',
  wants: (path, size) => DEPS_JSON.test(path) && size < MAX_BYTES,
  analyze(file) {
    const data = parseJsonFile(file);
    if (!isObject(data) || !isObject(data.libraries)) throw new Error(`${file.path} has no libraries object`);
    const found = new Map<string, ImagePackage>();
    for (const [key, library] of Object.entries(data.libraries)) {
      const cut = key.lastIndexOf('/');
      if (cut <= 0 || !isObject(library)) continue;
      const pkg = nugetPackage(key.slice(0, cut), key.slice(cut + 1), file.path);
      if (!pkg) continue;
      if (library.type === 'package') found.set(key, pkg);
      else if (library.type === 'project') found.set(key, { ...pkg, role: 'application' });
    }
    return [...found.values()];
  },
};

/** `packages.lock.json`: the resolved version of every package of every target framework, once each. */
export const nugetLockAnalyzer: Analyzer = {
  name: 'nuget-lock',
  declared: true,
  wants: (path, size) => PACKAGES_LOCK.test(path) && size < MAX_BYTES,
  analyze(file) {
    const data = parseJsonFile(file);
    if (!isObject(data) || !isObject(data.dependencies))
      throw new Error(`${file.path} has no dependencies object`);
    const found = new Map<string, ImagePackage>();
    for (const framework of Object.values(data.dependencies)) {
      if (!isObject(framework)) continue;
      for (const [name, entry] of Object.entries(framework)) {
        if (!isObject(entry) || entry.type === 'Project' || typeof entry.resolved !== 'string') continue;
        const pkg = nugetPackage(name, entry.resolved, file.path);
        // NuGet ids are case-insensitive: one package however each framework spells it (the first spelling).
        const key = `${name.toLowerCase()}/${entry.resolved.toLowerCase()}`;
        if (pkg && !found.has(key)) found.set(key, pkg);
      }
    }
    return [...found.values()];
  },
};
