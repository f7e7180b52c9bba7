import type { Analyzer } from '../package.js';
import type { LayerAnalyzer } from './entry.js';
import type { LayerLimits } from './limits.js';

/** A file of the final filesystem that some package analyzer wants, with its content. */
export interface WantedFile {
  path: string;
  content: Buffer;
  layer: string;
  /** Set when an analyzer's `reduce` replaced the content: only that analyzer reads it. */
  reducedBy?: string;
}

export const WANTED_FILES = 'wanted-files';

/** What a walk keeps besides the package analyzers' files (os-release, secret candidates). */
export type ExtraWanted = (path: string, size: number) => boolean;

/**
 * The layer analyzer that stands for all package analyzers at once: it wants a regular file when any of
 * them (or `extraWanted`) does, and keeps its content — reduced at once when the analyzers that want it
 * all have a `reduce` — so each file is read once whatever the number of analyzers.
 */
export function wantedFilesAnalyzer(
  analyzers: readonly Analyzer[],
  extraWanted: ExtraWanted,
  limits: LayerLimits,
): LayerAnalyzer<WantedFile | undefined> {
  const wanting = (path: string, size: number, mode: number) =>
    analyzers.filter((a) => a.wants(path, size, mode));
  return {
    name: WANTED_FILES,
    wants: (path, header) =>
      header.type === 'file' &&
      (analyzers.some((a) => a.wants(path, header.size, header.mode)) || extraWanted(path, header.size)),
    async analyze(file) {
      const users = wanting(file.path, file.header.size, file.header.mode);
      const whole = await file.read(Math.max(limits.maxFileBytes, ...users.map((u) => u.maxFileBytes ?? 0)));
      // Reduced only when every analyzer wanting the file reduces (e.g. an executable: Go build info or a
      // Node.js version); the first that recognises it keeps it, and a file none recognises is dropped.
      const reducers = users.filter((u) => u.reduce);
      if (reducers.length === 0 || reducers.length < users.length || extraWanted(file.path, file.header.size))
        return { path: file.path, content: whole, layer: file.layer };
      for (const reducer of reducers) {
        const reduced = reducer.reduce?.(whole);
        if (reduced) return { path: file.path, content: reduced, layer: file.layer, reducedBy: reducer.name };
      }
      return undefined;
    },
  };
}
