import type { Analyzer, ImagePackage } from '../package.js';
import { osEcosystem } from './os-release.js';

/** apk's installed database: `P:` name, `V:` version, `o:` origin (source) package, blank line between. */
export const apkAnalyzer: Analyzer = {
  name: 'apk',
  wants: (path) => path === 'lib/apk/db/installed',
  analyze(file, context) {
    const ecosystem = osEcosystem(context.os, 'Alpine');
    const packages: ImagePackage[] = [];
    let fields = new Map<string, string>();
    const flush = () => {
      const name = fields.get('P');
      const version = fields.get('V');
      if (name && version) {
        const origin = fields.get('o');
        packages.push({
          ecosystem,
          name,
          version,
          ...(origin && origin !== name ? { advisoryName: origin } : {}),
          purl: `pkg:apk/${context.os?.id ?? 'alpine'}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${fields.get('A') ? `?arch=${fields.get('A')}` : ''}`,
          path: file.path,
        });
      }
      fields = new Map();
    };
    for (const line of file.content.toString('utf8').split('\n')) {
      if (line.trim() === '') flush();
      else if (line[1] === ':') fields.set(line[0]!, line.slice(2));
    }
    flush();
    return packages;
  },
};
