/**
 * What the tools image holds from Debian (bookworm): the tools seco's adapters run (core/tools/registry.ts)
 * with what they depend on, and nothing else Debian ships by default beyond its Essential set. A new
 * tool's package is one line here, and its adapter one line in the registry.
 */
export const TOOLS_DEBIAN_SUITE = 'bookworm';

export const TOOLS_DEBIAN_PACKAGES: readonly string[] = [
  'lynis',
  'chkrootkit',
  'rkhunter',
  'clamav',
  'yara',
  'nmap',
  'sslscan',
  'testssl.sh',
  // Node.js (the tools runner) needs libstdc++, libgcc_s and libatomic beside libc; CA certificates for TLS.
  'libstdc++6',
  'libatomic1',
  'ca-certificates',
];

/**
 * dpkg filters (dpkg(1) --path-exclude/--path-include): no manual pages, info, locales or docs in the image,
 * but every package's copyright file stays (the licences the image ships under).
 */
export const TOOLS_DPKG_FILTERS: readonly string[] = [
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
];
