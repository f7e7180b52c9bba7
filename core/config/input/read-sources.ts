import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { systemErrorMessage } from '../../errors/system-error-message.js';
import type { InputProblem } from '../../model/index.js';
import { collectFiles, refusal } from './collect-files.js';

/** A manifest file's text, named as the user named it (`-` for stdin). */
export interface SourceText {
  name: string;
  text: string;
}

export interface ReadLimits {
  /** Largest file read, in bytes. Larger files are refused without being read. */
  maxFileBytes: number;
  /** Most files taken from directories, so a mistaken `-f /` ends with a clear message. */
  maxFiles: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxFileBytes: 16 * 1024 * 1024, maxFiles: 50_000 };

const BINARY_SNIFF_BYTES = 8192;

export interface ReadResult {
  sources: SourceText[];
  problems: InputProblem[];
}

/**
 * Reads manifest files named on the command line: files as given, directories recursively (only
 * `.yaml`, `.yml`, `.json`, symlinks followed inside the paths given: see collect-files.ts), `-` for
 * stdin. A file that is too large, binary, or not a regular file is refused with a problem naming it;
 * the others are still read.
 */
export async function readSources(
  paths: readonly string[],
  stdin: () => Promise<Buffer>,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ReadResult> {
  const list = await listSources(paths, stdin, limits);
  const sources: SourceText[] = [];
  await list.forEach((source) => {
    sources.push(source);
  });
  return { sources, problems: list.problems };
}

/** Manifest sources read one at a time, as often as a scan needs, so a large input is never all in memory. */
export interface SourceList {
  /** Every problem met so far (a file refused on two reads is reported once). */
  readonly problems: InputProblem[];
  /** Reads each source in turn and hands it to `visit`; the text can be dropped once `visit` returns. */
  forEach(visit: (source: SourceText) => void | Promise<void>): Promise<void>;
}

/**
 * The files readSources would read, found but not yet read. Standard input is read at once (it cannot
 * be read twice); files are read on each `forEach`. A file that changes between two passes is read as
 * it is at each pass.
 */
export async function listSources(
  paths: readonly string[],
  stdin: () => Promise<Buffer>,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<SourceList> {
  const problems = new ProblemList();
  const piped: ReadResult = { sources: [], problems: [] };
  const named: string[] = [];
  for (const path of paths) {
    if (path === '-') addText(piped, '-', await stdin(), limits);
    else named.push(path);
  }
  problems.add(piped.problems);
  const files = await collectFiles(named, limits, problems.list);
  return {
    problems: problems.list,
    async forEach(visit) {
      for (const source of piped.sources) await visit(source);
      for (const file of files) {
        const read: ReadResult = { sources: [], problems: [] };
        await readOne(file.path, read, limits);
        problems.add(read.problems);
        for (const source of read.sources) await visit(source);
      }
    },
  };
}

/** Problems in the order met, each once. */
class ProblemList {
  readonly list: InputProblem[] = [];
  private readonly seen = new Set<string>();

  add(problems: readonly InputProblem[]): void {
    for (const problem of problems) {
      const key = `${problem.source}\u0000${problem.line ?? ''}\u0000${problem.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.list.push(problem);
    }
  }
}

async function readOne(path: string, result: ReadResult, limits: ReadLimits): Promise<void> {
  try {
    // O_NONBLOCK: a path swapped for a FIFO after the walk looked at it must not hang the scan.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        result.problems.push(refusal(path, info));
        return;
      }
      if (info.size > limits.maxFileBytes) {
        result.problems.push({
          source: path,
          message: `refused: ${info.size} bytes is larger than the ${limits.maxFileBytes}-byte limit for a manifest`,
        });
        return;
      }
      // Read at most one byte past the limit, so a file that grew since stat is still refused.
      const buffer = Buffer.alloc(Math.min(limits.maxFileBytes + 1, info.size + 1));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      addText(result, path, buffer.subarray(0, bytesRead), limits);
    } finally {
      await handle.close();
    }
  } catch (error) {
    result.problems.push({
      source: path,
      message: `cannot read: ${systemErrorMessage(error)}`,
    });
  }
}

function addText(result: ReadResult, name: string, bytes: Buffer, limits: ReadLimits): void {
  if (bytes.length > limits.maxFileBytes) {
    result.problems.push({
      source: name,
      message: `refused: larger than the ${limits.maxFileBytes}-byte limit for a manifest`,
    });
    return;
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    result.problems.push({
      source: name,
      message: 'refused: binary content (NUL bytes), not a YAML or JSON manifest',
    });
    return;
  }
  result.sources.push({ name, text: bytes.toString('utf8') });
}

/** Reads stdin up to the limit plus one byte, so an endless pipe is refused rather than buffered. */
export async function readStdin(limit = DEFAULT_READ_LIMITS.maxFileBytes): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}
