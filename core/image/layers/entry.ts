import type { Readable } from 'node:stream';
import type { TarHeader } from '../tar/tar-reader.js';

/** What the walker tells an analyzer about a tar entry before any content is read. */
export interface EntryHeader {
  type: 'file' | 'symlink' | 'link' | 'other';
  size: number;
  /** Permission bits (e.g. 0o755), 0 when the header has none. */
  mode: number;
  /** Target of a symlink or hard link, as written in the layer (never followed). */
  linkname?: string;
  uid: number;
  gid: number;
}

/** A file of the final filesystem offered to an analyzer; `read()` buffers it (up to the file cap). */
export interface LayerFile {
  path: string;
  header: EntryHeader;
  /** Digest of the layer this version of the file comes from. */
  layer: string;
  /** `maxBytes` replaces the walk's per-file cap for this file (the first read decides). */
  read(maxBytes?: number): Promise<Buffer>;
}

/**
 * One thing to learn from an image (STYLE.md, trivy's analyzers): `wants` decides from the path and
 * header alone, so unwanted files stream past unbuffered; `analyze` gets the file and may read it.
 */
export interface LayerAnalyzer<T = unknown> {
  name: string;
  wants(path: string, header: EntryHeader): boolean;
  analyze(file: LayerFile): T | Promise<T>;
}

/** An analyzer's result for one file that is part of the final filesystem. */
export interface AnalyzerOutput<T = unknown> {
  analyzer: string;
  path: string;
  layer: string;
  value: T;
}

/** Where a blob's bytes sit in a local file (a layout's blob, a byte range of an archive). */
export interface BlobFile {
  path: string;
  start: number;
  /** Bytes stored in the file. */
  size: number;
  /** The size the blob must have (its descriptor's; 0: unknown), checked with its digest as it is read. */
  expectedSize: number;
}

/** A layer to walk: its digest (for messages) and its blob, opened as a verified stream. */
export interface LayerInput {
  digest: string;
  /** Bytes of the blob as stored, when known: layers read in worker threads go largest first. */
  size?: number;
  open(): Promise<Readable>;
  /** Set when the blob is a local file: a worker thread then reads and verifies it itself. */
  file?: BlobFile;
}

/** What analyzers see of a tar header: directories and special files are all `other`. */
export function entryHeader(header: TarHeader): EntryHeader {
  return {
    type: header.type === 'directory' ? 'other' : header.type,
    size: header.size,
    mode: header.mode & 0o7777,
    ...(header.linkname ? { linkname: header.linkname } : {}),
    uid: header.uid,
    gid: header.gid,
  };
}
