import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuiltRpmDb {
  /** Directory holding rpmdb.sqlite. */
  dbPath: string;
  /** What `rpm -qa` says is installed, as `name epoch:version-release` (epoch 0 when none). */
  truth: string[];
  remove(): void;
}

/**
 * Builds small real RPMs with rpmbuild and records them in a real SQLite rpmdb with `rpm --justdb`
 * (Debian's rpm package), so the analyzer is checked against rpm's own database and query output.
 */
export function buildRpmDb(
  packages: Array<{ name: string; version: string; release: string; epoch?: number }>,
): BuiltRpmDb {
  const top = mkdtempSync(join(tmpdir(), 'seco-rpm-'));
  for (const d of ['SPECS', 'BUILD', 'RPMS', 'SOURCES', 'SRPMS', 'db']) mkdirSync(join(top, d));
  for (const p of packages) {
    const spec = join(top, 'SPECS', `${p.name}.spec`);
    writeFileSync(
      spec,
      [
        `Name: ${p.name}`,
        `Version: ${p.version}`,
        `Release: ${p.release}`,
        ...(p.epoch ? [`Epoch: ${p.epoch}`] : []),
        'Summary: seco test package',
        'License: MIT',
        'BuildArch: noarch',
        '%description',
        'test',
        '%files',
        '',
      ].join('\n'),
    );
    execFileSync('rpmbuild', ['--define', `_topdir ${top}`, '-bb', spec], { stdio: 'ignore' });
  }
  const dbPath = join(top, 'db');
  const rpms = readdirSync(join(top, 'RPMS', 'noarch')).map((f) => join(top, 'RPMS', 'noarch', f));
  execFileSync('rpm', ['--dbpath', dbPath, '--initdb']);
  execFileSync('rpm', ['--dbpath', dbPath, '-i', '--justdb', '--nodeps', ...rpms], { stdio: 'ignore' });
  // Fold the write-ahead log into the database file, as a finished image build leaves it.
  execFileSync('rpm', ['--dbpath', dbPath, '--rebuilddb'], { stdio: 'ignore' });
  const truth = execFileSync(
    'rpm',
    ['--dbpath', dbPath, '-qa', '--qf', '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n'],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .sort();
  return { dbPath, truth, remove: () => rmSync(top, { recursive: true, force: true }) };
}
