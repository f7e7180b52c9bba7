import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { InputProblem } from '../../model/index.js';

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

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const BINARY_SNIFF_BYTES = 8192;

export interface ReadResult {
  sources: SourceText[];
  problems: InputProblem[];
}

/**
 * Reads manifest files named on the command line: files as given, directories recursively (only
 * `.yaml`, `.yml`, `.json`), `-` for stdin. A file that is too large or binary is refused with a
 * problem naming it; the others are still read.
 */
export async function readSources(
  paths: readonly string[],
  stdin: () => Promise<Buffer>,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<ReadResult> {
  const result: ReadResult = { sources: [], problems: [] };
  const files: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      addText(result, '-', await stdin(), limits);
      continue;
    }
    await collectFiles(path, true, files, result.problems, limits);
  }
  for (const file of files) await readOne(file, result, limits);
  return result;
}

async function collectFiles(
  path: string,
  named: boolean,
  out: string[],
  problems: InputProblem[],
  limits: ReadLimits,
): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    problems.push({
      source: path,
      message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
    });
    return;
  }
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      // Symlinked directories are not followed: a loop would never end.
      if (
        entry.isDirectory() ||
        (entry.isFile() && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      ) {
        await collectFiles(join(path, entry.name), false, out, problems, limits);
      }
    }
    return;
  }
  if (!info.isFile() && !named) return;
  if (out.length >= limits.maxFiles) {
    if (out.length === limits.maxFiles) {
      problems.push({ source: path, message: `more than ${limits.maxFiles} files: the rest are not read` });
      out.push('');
    }
    return;
  }
  if (info.size > limits.maxFileBytes) {
    problems.push({
      source: path,
      message: `refused: ${info.size} bytes is larger than the ${limits.maxFileBytes}-byte limit for a manifest`,
    });
    return;
  }
  out.push(path);
}

async function readOne(path: string, result: ReadResult, limits: ReadLimits): Promise<void> {
  if (path === '') return;
  try {
    const handle = await open(path, 'r');
    try {
      // Read at most one byte past the limit, so a file that grew since stat is still refused.
      const buffer = Buffer.alloc(Math.min(limits.maxFileBytes + 1, (await handle.stat()).size + 1));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      addText(result, path, buffer.subarray(0, bytesRead), limits);
    } finally {
      await handle.close();
    }
  } catch (error) {
    result.problems.push({
      source: path,
      message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`,
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
