import type { Analyzer } from '../package.js';
import type { LayerAnalyzer, LayerInput } from './entry.js';
import { type ExecutableList, executableList, executablesAnalyzer } from './executables.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';
import { type WalkProblem, walkImage } from './walk-image.js';

export type { LayerInput } from './entry.js';
export { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';

/** A file of the final filesystem that some package analyzer wants, with its content. */
export interface WantedFile {
  path: string;
  content: Buffer;
  layer: string;
  /** Set when an analyzer's `reduce` replaced the content: only that analyzer reads it. */
  reducedBy?: string;
}

export interface WalkResult {
  files: WantedFile[];
  /** Non-directory entries of the final filesystem. */
  fileCount: number;
  /** The final filesystem's executable files (paths only), for runtime drift detection. */
  executables: ExecutableList;
  problems: WalkProblem[];
}

/**
 * The package analyzers' view of `walkImage`: collects the content of every final-filesystem regular
 * file a package analyzer (or `extraWanted`) wants, reduced at once when the analyzers that want it all
 * have a `reduce`, and names the executable files in the same pass. A layer that cannot be read
 * ends the walk; it is reported as a problem and no files are returned, since the final filesystem is
 * then unknown.
 */
export async function walkLayers(
  layers: readonly LayerInput[],
  analyzers: readonly Analyzer[],
  extraWanted: (path: string, size: number) => boolean = () => false,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<WalkResult> {
  const wanting = (path: string, size: number, mode: number) =>
    analyzers.filter((a) => a.wants(path, size, mode));
  const collector: LayerAnalyzer<WantedFile | undefined> = {
    name: 'wanted-files',
    wants: (path, header) =>
      header.type === 'file' &&
      (wanting(path, header.size, header.mode).length > 0 || extraWanted(path, header.size)),
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
  const executables = executablesAnalyzer();
  try {
    const outcome = await walkImage(layers, [collector, executables], limits);
    const files = outcome.outputs.map((o) => o.value).filter((f): f is WantedFile => f !== undefined);
    const exePaths = outcome.outputs.filter((o) => o.analyzer === executables.name).map((o) => o.path);
    return {
      files,
      fileCount: outcome.fileCount,
      executables: executableList(exePaths, executables.capped()),
      problems: outcome.problems,
    };
  } catch (error) {
    return {
      files: [],
      fileCount: 0,
      executables: { paths: [], capped: false },
      problems: [{ source: 'image', message: (error as Error).message }],
    };
  }
}
