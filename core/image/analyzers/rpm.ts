import initSqlJs from 'sql.js';
import { resourcePath } from '../../build/resource-root.js';
import type { Analyzer, AnalyzerContext, ImagePackage } from '../package.js';
import { osEcosystem } from './os-release.js';
import { parseRpmHeader, RPMTAG } from './rpm-header.js';

// rpm ≥ 4.16 keeps its database in SQLite (RHEL/Alma/Rocky 9, Fedora ≥ 33, openSUSE): one row per
// package, the header blob in Packages.blob. BerkeleyDB (rpm-bdb.ts) and NDB (rpm-ndb.ts) have their own readers.
const RPMDB = /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/rpmdb\.sqlite$/;

let sqlite: ReturnType<typeof initSqlJs> | undefined;
function loadSqlite(): ReturnType<typeof initSqlJs> {
  // The WebAssembly build ships with seco (a dependency's file, or embedded in the executable):
  // nothing is fetched.
  sqlite ??= initSqlJs({ locateFile: (file: string) => resourcePath(`node_modules/sql.js/dist/${file}`) });
  return sqlite;
}

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  wants: (path) => RPMDB.test(path),
  async analyze(file, context) {
    const SQL = await loadSqlite();
    const db = new SQL.Database(file.content);
    try {
      const rows = db.exec('SELECT blob FROM Packages');
      const blobs = (rows[0]?.values ?? []).flatMap(([blob]) => (blob instanceof Uint8Array ? [blob] : []));
      return rpmPackages(blobs, file.path, context);
    } finally {
      db.close();
    }
  },
};

/**
 * Packages from rpm header blobs, whichever database held them (SQLite, BerkeleyDB, NDB): name,
 * epoch:version-release and arch; `gpg-pubkey` pseudo-packages and unreadable headers are skipped, so
 * one broken header does not hide the others.
 */
export function rpmPackages(
  blobs: Iterable<Uint8Array>,
  path: string,
  context: AnalyzerContext,
): ImagePackage[] {
  const packages: ImagePackage[] = [];
  const distro = context.os?.id ?? 'redhat';
  for (const blob of blobs) {
    let header: Map<number, string | number>;
    try {
      header = parseRpmHeader(blob, Object.values(RPMTAG));
    } catch {
      continue;
    }
    const name = header.get(RPMTAG.NAME);
    const version = header.get(RPMTAG.VERSION);
    const release = header.get(RPMTAG.RELEASE);
    if (typeof name !== 'string' || typeof version !== 'string' || name === 'gpg-pubkey') continue;
    const epoch = header.get(RPMTAG.EPOCH);
    const evr = `${typeof epoch === 'number' && epoch > 0 ? `${epoch}:` : ''}${version}${typeof release === 'string' ? `-${release}` : ''}`;
    const arch = header.get(RPMTAG.ARCH);
    packages.push({
      ecosystem: osEcosystem(context.os, 'Red Hat'),
      name,
      version: evr,
      purl: `pkg:rpm/${distro}/${encodeURIComponent(name)}@${encodeURIComponent(evr)}${typeof arch === 'string' ? `?arch=${arch}` : ''}`,
      path,
    });
  }
  return packages;
}
