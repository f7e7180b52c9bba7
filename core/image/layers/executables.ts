import type { LayerAnalyzer } from './entry.js';

/** Enough for any real image (a full Debian with build tools has ~5,000); bounds memory on a hostile one. */
const MAX_EXECUTABLES = 200_000;

/** The executable files of an image's final filesystem, as absolute paths, sorted. */
export interface ExecutableList {
  paths: string[];
  /** True when the image had more than the cap: the list is then incomplete and must not prove drift. */
  capped: boolean;
}

const ANY_EXECUTE_BIT = 0o111;

export const EXECUTABLES = 'executables';

/**
 * Names the regular files (and hard links, which are the same files) with any execute bit, from the
 * header alone: nothing is read, and the walker's top-down visibility already leaves out what a whiteout
 * or an upper layer hides. Symlinks are left out: `/proc/<pid>/exe`, which the runtime rule compares
 * with this list, names the resolved file. One instance per walk (it counts what it accepted).
 */
export function executablesAnalyzer(max = MAX_EXECUTABLES): LayerAnalyzer<undefined> & { capped(): boolean } {
  let accepted = 0;
  let refused = false;
  return {
    name: EXECUTABLES,
    wants(_path, header) {
      if ((header.type !== 'file' && header.type !== 'link') || (header.mode & ANY_EXECUTE_BIT) === 0)
        return false;
      // Counted per entry: a path written twice in one layer counts twice, so the cap may be reached a
      // little early — never late.
      if (accepted >= max) {
        refused = true;
        return false;
      }
      accepted++;
      return true;
    },
    analyze: () => undefined,
    capped: () => refused,
  };
}

/**
 * The list from the walker's outputs of `executablesAnalyzer` (paths relative to the image root). Layers
 * read in worker threads are capped one by one, so the merged list is capped again here.
 */
export function executableList(
  relativePaths: Iterable<string>,
  capped: boolean,
  max = MAX_EXECUTABLES,
): ExecutableList {
  const paths = [...new Set(Array.from(relativePaths, (p) => `/${p}`))].sort();
  return paths.length > max ? { paths: paths.slice(0, max), capped: true } : { paths, capped };
}
