import type { Analyzer, ImagePackage } from '../package.js';
import { osEcosystem } from './os-release.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/; // distroless: one control file per package

/** deb822 paragraphs: `Field: value` with continuation lines; blank lines separate packages. */
export function parseDeb822(text: string): Array<Map<string, string>> {
  const paragraphs: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) paragraphs.push(current);
      current = new Map();
      last = undefined;
    } else if (/^[ \t]/.test(line)) {
      if (last) current.set(last, `${current.get(last)}\n${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue; // a malformed line: skip it, keep the package
      last = line.slice(0, colon).trim();
      current.set(last, line.slice(colon + 1).trim());
    }
  }
  if (current.size > 0) paragraphs.push(current);
  return paragraphs;
}

/** `Source: openssl (3.0.11-1)` names the source package, and its version when it differs. */
function sourceOf(fields: Map<string, string>): { name?: string; version?: string } {
  const m = /^(\S+)(?:\s+\((\S+)\))?$/.exec(fields.get('Source') ?? '');
  return m ? { name: m[1], version: m[2] } : {};
}

export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  wants: (path) => path === STATUS || STATUS_D.test(path),
  analyze(file, context) {
    const ecosystem = osEcosystem(context.os, 'Debian');
    const distro = context.os?.id ?? 'debian';
    const packages: ImagePackage[] = [];
    for (const fields of parseDeb822(file.content.toString('utf8'))) {
      const name = fields.get('Package');
      const version = fields.get('Version');
      const status = fields.get('Status');
      // Only what is installed: dpkg keeps removed-but-configured packages in the same file.
      if (!name || !version || (status !== undefined && !/ installed$/.test(status))) continue;
      const source = sourceOf(fields);
      const arch = fields.get('Architecture');
      packages.push({
        ecosystem,
        name,
        version,
        // Debian's advisories are per source package, at the source version.
        ...(source.name && source.name !== name ? { advisoryName: source.name } : {}),
        ...(source.version && source.version !== version ? { advisoryVersion: source.version } : {}),
        purl: `pkg:deb/${distro}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${arch ? `?arch=${arch}` : ''}`,
        path: file.path,
      });
    }
    return packages;
  },
};
