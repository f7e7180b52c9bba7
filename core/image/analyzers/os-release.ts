import type { OsRelease } from '../package.js';

export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'];

/** os-release(5): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = fields.get('ID');
  if (!id) return undefined;
  return {
    id,
    ...(fields.get('VERSION_ID') ? { versionId: fields.get('VERSION_ID') } : {}),
    ...(fields.get('VERSION_CODENAME') ? { versionCodename: fields.get('VERSION_CODENAME') } : {}),
    ...(fields.get('PRETTY_NAME') ? { prettyName: fields.get('PRETTY_NAME') } : {}),
  };
}

/** The OSV ecosystem for an OS's packages: `Debian:12`, `Ubuntu:22.04`, `Alpine:v3.20`. */
export function osEcosystem(os: OsRelease | undefined, fallback: string): string {
  if (!os) return fallback;
  switch (os.id) {
    case 'debian':
      return os.versionId ? `Debian:${os.versionId.split('.')[0]}` : 'Debian';
    case 'ubuntu':
      return os.versionId ? `Ubuntu:${os.versionId}` : 'Ubuntu';
    case 'alpine':
      return os.versionId ? `Alpine:v${os.versionId.split('.').slice(0, 2).join('.')}` : 'Alpine';
    case 'rhel':
      return 'Red Hat';
    case 'almalinux':
      return os.versionId ? `AlmaLinux:${os.versionId.split('.')[0]}` : 'AlmaLinux';
    case 'rocky':
      return os.versionId ? `Rocky Linux:${os.versionId.split('.')[0]}` : 'Rocky Linux';
    case 'opensuse-leap':
      return os.versionId ? `openSUSE:Leap ${os.versionId}` : 'openSUSE';
    default:
      return fallback;
  }
}
