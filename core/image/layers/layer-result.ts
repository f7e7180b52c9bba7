import type { AnalyzerOutput } from './entry.js';
import { EXECUTABLES } from './executables.js';
import type { LayerState, WalkProblem } from './layer-read.js';
import { WANTED_FILES, type WantedFile } from './wanted-files.js';

/**
 * One layer as a worker thread hands it back: compact and cheap to post. Paths are plain string lists;
 * the kept file contents are copied into one buffer that is transferred, not cloned (a cloned Buffer
 * would copy its whole backing store — for a small pooled Buffer, the 8 KiB pool around it).
 */
export interface PackedLayer {
  digest: string;
  deleted: string[];
  opaque: string[];
  /** Every path with an entry in the layer, and 1 where it is a non-directory. */
  paths: string[];
  nonDirectory: Uint8Array;
  entryCount: number;
  /** The analyzers' outputs in entry order: a wanted file (a range of `contents`) or an executable. */
  outputs: PackedOutput[];
  contents: ArrayBuffer;
  executablesCapped: boolean;
  problems: WalkProblem[];
}

type PackedOutput =
  | { kind: 'file'; path: string; start: number; end: number; reducedBy?: string }
  | { kind: 'executable'; path: string };

/** Packs a layer read by `wantedFilesAnalyzer` and `executablesAnalyzer` (see walk-layers.ts). */
export function packLayer(
  state: LayerState,
  executablesCapped: boolean,
  problems: WalkProblem[],
): PackedLayer {
  const kept: WantedFile[] = [];
  const outputs: PackedOutput[] = [];
  let size = 0;
  for (const [path, list] of state.outputs)
    for (const output of list) {
      if (output.analyzer === EXECUTABLES) outputs.push({ kind: 'executable', path });
      else if (output.analyzer === WANTED_FILES && output.value) {
        const file = output.value as WantedFile;
        kept.push(file);
        outputs.push({
          kind: 'file',
          path,
          start: size,
          end: size + file.content.length,
          ...(file.reducedBy ? { reducedBy: file.reducedBy } : {}),
        });
        size += file.content.length;
      }
    }
  const contents = new Uint8Array(size);
  let at = 0;
  for (const file of kept) {
    contents.set(file.content, at);
    at += file.content.length;
  }
  const paths = [...state.entries.keys()];
  const nonDirectory = new Uint8Array(paths.length);
  paths.forEach((path, i) => {
    nonDirectory[i] = state.entries.get(path) ? 1 : 0;
  });
  return {
    digest: state.digest,
    deleted: state.deleted,
    opaque: state.opaque,
    paths,
    nonDirectory,
    entryCount: state.entryCount,
    outputs,
    contents: contents.buffer,
    executablesCapped,
    problems,
  };
}

/**
 * The layer state `mergeLayers` expects, from a packed layer. A worker reads a layer as if alone, so
 * every non-directory entry is a visible file until the merge drops what upper layers hide.
 */
export function unpackLayer(packed: PackedLayer): LayerState {
  const entries = new Map<string, boolean>();
  const visibleFiles = new Set<string>();
  packed.paths.forEach((path, i) => {
    const nonDirectory = packed.nonDirectory[i] === 1;
    entries.set(path, nonDirectory);
    if (nonDirectory) visibleFiles.add(path);
  });
  const outputs = new Map<string, AnalyzerOutput<unknown>[]>();
  const layer = packed.digest;
  for (const output of packed.outputs) {
    const list = outputs.get(output.path) ?? [];
    if (output.kind === 'executable')
      list.push({ analyzer: EXECUTABLES, path: output.path, layer, value: undefined });
    else {
      const content = Buffer.from(packed.contents, output.start, output.end - output.start);
      const value: WantedFile = {
        path: output.path,
        content,
        layer,
        ...(output.reducedBy ? { reducedBy: output.reducedBy } : {}),
      };
      list.push({ analyzer: WANTED_FILES, path: output.path, layer, value });
    }
    outputs.set(output.path, list);
  }
  return {
    digest: layer,
    deleted: packed.deleted,
    opaque: packed.opaque,
    entries,
    visibleFiles,
    outputs,
    contents: new Map(),
    entryCount: packed.entryCount,
  };
}
