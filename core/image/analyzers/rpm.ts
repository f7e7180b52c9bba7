import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import type { Analyzer, ImagePackage } from '../package.js';
import { osEcosystem } from './os-release.js';
import { parseRpmHeader, RPMTAG } from './rpm-header.js';

// rpm ≥ 4.16 keeps its database in SQLite (RHEL/Alma/Rocky 9, Fedora ≥ 33, openSUSE): one row per
// package, the header blob in Packages.blob. Older BerkeleyDB/NDB databases are not read yet.
const RPMDB = /^(var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/rpmdb\.sqlite$/;

let sqlite: ReturnType<typeof initSqlJs> | undefined;
function loadSqlite(): ReturnType<typeof initSqlJs> {
  const require = createRequire(import.meta.url);
  // The WebAssembly build ships in the package: nothing is fetched.
  sqlite ??= initSqlJs({ locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`) });
  return sqlite;
}

export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  wants: (path) => RPMDB.test(path),
  async analyze(file, context) {
    const SQL = await loadSqlite();
    const db = new SQL.Database(file.content);
    const packages: ImagePackage[] = [];
    const distro = context.os?.id ?? 'redhat';
    try {
      const rows = db.exec('SELECT blob FROM Packages');
      for (const [blob] of rows[0]?.values ?? []) {
        if (!(blob instanceof Uint8Array)) continue;
        let header: Map<number, string | number>;
        try {
          header = parseRpmHeader(blob, Object.values(RPMTAG));
        } catch {
          continue; // one broken header does not hide the others
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
          path: file.path,
        });
      }
    } finally {
      db.close();
    }
    return packages;
  },
};
