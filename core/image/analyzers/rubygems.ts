import type { Analyzer } from '../package.js';

/** Installed gems: `specifications/<name>-<version>.gemspec` (Ruby source written by RubyGems). */
const GEMSPEC = /(^|\/)specifications\/[^/]+\.gemspec$/;

export const rubyGemsAnalyzer: Analyzer = {
  name: 'rubygems',
  wants: (path, size) => GEMSPEC.test(path) && size < 1024 * 1024,
  analyze(file) {
    const text = file.content.toString('utf8');
    // RubyGems writes `s.name = "rack".freeze` and `s.version = "3.0.8"` (older: without .freeze).
    const name = /\.name\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
    const version = /\.version\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
    if (!name || !version) return [];
    return [
      {
        ecosystem: 'RubyGems',
        name,
        version,
        purl: `pkg:gem/${encodeURIComponent(name)}@${encodeURIComponent(version)}`,
        path: file.path,
      },
    ];
  },
};
