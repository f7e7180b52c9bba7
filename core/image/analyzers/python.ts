import type { Analyzer, ImagePackage } from '../package.js';

/** Installed Python distributions: `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (RFC 822 headers). */
const METADATA = /(^|\/)[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/;

export const pythonAnalyzer: Analyzer = {
  name: 'python',
  wants: (path, size) => METADATA.test(path) && size < 4 * 1024 * 1024,
  analyze(file) {
    const headers = file.content.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    const field = (key: string) => new RegExp(`^${key}:\\s*(.+)$`, 'mi').exec(headers)?.[1]?.trim();
    const name = field('Name');
    const version = field('Version');
    if (!name || !version) return [];
    return [pypiPackage(name, version, file.path)];
  },
};

/** A PyPI distribution found at `path`. */
export function pypiPackage(name: string, version: string, path: string): ImagePackage {
  return { ecosystem: 'PyPI', name, version, purl: pypiPurl(name, version), path };
}

/** purl spec, pypi type: the name lower-cased with runs of `-_.` as one `-` (PEP 503). */
function pypiPurl(name: string, version: string): string {
  return `pkg:pypi/${name.toLowerCase().replace(/[-_.]+/g, '-')}@${encodeURIComponent(version)}`;
}
