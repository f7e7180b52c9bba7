import type { Analyzer, ImagePackage } from '../package.js';
import { purlOf } from './purl.js';

const LOCKFILE = /(^|\/)mix\.lock$/;
const MAX_BYTES = 16 * 1024 * 1024;
/**
 * One Hex entry of mix.lock, an Elixir map literal Mix writes one entry a line:
 * `"plug": {:hex, :plug, "1.14.0", "<hash>", [:mix], [deps…], "hexpm", "<hash>"},` — the key is the
 * dependency's name in the app, the atom the Hex package's name (they differ for renamed deps).
 * Git and path dependencies (`{:git, …}`, `{:path, …}`) are no Hex releases.
 */
const HEX_ENTRY = /^\s*"[^"]+":\s*\{:hex,\s*:(?:"([^"]+)"|([A-Za-z0-9_]+)),\s*"([^"]+)"/gm;

/** mix.lock (hexdocs.pm/mix): read as text, since it is Elixir terms and evaluating them is out of the question. */
export const mixLockAnalyzer: Analyzer = {
  name: 'mix-lock',
  declared: true,
  wants: (path, size) => LOCKFILE.test(path) && size < MAX_BYTES,
  analyze(file) {
    const text = file.content.toString('utf8');
    if (!text.trimStart().startsWith('%{')) throw new Error(`${file.path} is not an Elixir map (mix.lock)`);
    const found = new Map<string, ImagePackage>();
    for (const m of text.matchAll(HEX_ENTRY)) {
      const name = (m[1] ?? m[2])!;
      const version = m[3]!;
      found.set(`${name}@${version}`, {
        ecosystem: 'Hex',
        name,
        version,
        purl: purlOf('hex', name, version),
        path: file.path,
      });
    }
    return [...found.values()];
  },
};
