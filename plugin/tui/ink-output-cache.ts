import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Ink turns every line of every frame into styled characters (ANSI tokenizing and grapheme segmenting
 * each character) in `Output.get`, with caches that live for one frame only: a 160×45 screen costs the
 * same whether one line changed or all. The watch redraws mostly the same lines (a cursor moved, a count
 * changed), so this keeps Ink's own per-frame caches from one frame to the next — same code, same
 * output, computed once per distinct line (bench:tui, docs/benchmarks.md: most of a frame's time).
 *
 * Ink does not export `Output`; it is reached by file, and only when it has the shape of Ink 6
 * (`build/output.js`, a per-instance `caches` with `getStyledChars`). Otherwise nothing is changed, and
 * `installed` says so (a test checks it is true for the Ink this package pins).
 */

/**
 * Distinct lines kept before the cache starts again: about ten 45-line screens, at most a few MiB of
 * styled characters (one small object per character).
 */
const MAX_LINES = 500;

interface OutputCaches {
  styledChars: Map<string, unknown>;
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
  getStyledChars(line: string): unknown;
}
type OutputClass = { prototype: { get(): unknown } } & (new (o: {
  width: number;
  height: number;
}) => {
  caches?: OutputCaches;
});

async function loadOutput(): Promise<OutputClass | undefined> {
  try {
    const ink = createRequire(import.meta.url).resolve('ink');
    const module = await import(pathToFileURL(join(dirname(ink), 'output.js')).href);
    return module.default as OutputClass;
  } catch {
    return undefined;
  }
}

function install(Output: OutputClass | undefined): boolean {
  if (typeof Output?.prototype?.get !== 'function') return false;
  const shared = new Output({ width: 0, height: 0 }).caches;
  if (!(shared?.styledChars instanceof Map) || typeof shared.getStyledChars !== 'function') return false;
  const get = Output.prototype.get;
  Output.prototype.get = function (this: { caches: OutputCaches }) {
    if (shared.styledChars.size > MAX_LINES) {
      shared.styledChars.clear();
      shared.widths.clear();
      shared.blockWidths.clear();
    }
    this.caches = shared;
    return get.call(this);
  };
  return true;
}

export const installed = install(await loadOutput());
