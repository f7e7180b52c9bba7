import type { Analyzer, ImagePackage } from '../package.js';
import { pypiPackage } from './python.js';

// requirements.txt, requirements-prod.txt, requirements/base.txt …
const REQUIREMENTS = /(^|\/)(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/;
const MAX_BYTES = 4 * 1024 * 1024;
// PEP 508 name, optional [extras], then an exact pin (`==` or `===`, PEP 440 "Version matching"),
// optionally followed by an environment marker or pip options such as --hash.
const PINNED =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,#\\]+)\s*(?:[;#\\].*|--.*)?$/;

/**
 * pip requirements files (pip.pypa.io "Requirements File Format"): only exact pins name a version —
 * `name==1.2.3`, with extras, markers and `--hash` options; ranges, URLs, `-r`/`-e` lines and
 * wildcard pins (`==1.*`) do not. Backslash continuations are joined first.
 */
export const requirementsAnalyzer: Analyzer = {
  name: 'requirements',
  declared: true,
  wants: (path, size) => REQUIREMENTS.test(path) && size < MAX_BYTES,
  analyze(file) {
    const lines = file.content
      .toString('utf8')
      .replace(/\\\r?\n/g, ' ')
      .split(/\r?\n/);
    const found = new Map<string, ImagePackage>();
    for (const line of lines) {
      const m = PINNED.exec(line.replace(/\s+#.*$/, '').trim());
      if (!m || m[2]!.includes('*')) continue;
      const [, name, version] = m as unknown as [string, string, string];
      found.set(`${name.toLowerCase()}@${version}`, pypiPackage(name, version, file.path));
    }
    return [...found.values()];
  },
};
