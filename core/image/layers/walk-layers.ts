import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { extract, type Header } from 'tar-stream';
import type { Analyzer } from '../package.js';
import { imagePath } from './safe-path.js';

export interface LayerLimits {
  /** Decompressed bytes one layer may expand to (decompression bombs). */
  maxLayerBytes: number;
  /** Bytes one wanted file may have; larger ones are skipped with a problem. */
  maxFileBytes: number;
  /** Entries one layer may hold. */
  maxEntries: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxLayerBytes: 16 * 2 ** 30,
  maxFileBytes: 64 * 2 ** 20,
  maxEntries: 2_000_000,
};

export interface LayerInput {
  digest: string;
  open(): Promise<Readable>;
}

/** A file of the final filesystem that some analyzer wants, with its content. */
export interface WantedFile {
  path: string;
  content: Buffer;
  layer: string;
  /** Set when an analyzer's `reduce` replaced the content: only that analyzer reads it. */
  reducedBy?: string;
}

export interface WalkResult {
  files: WantedFile[];
  /** Every regular file path of the final filesystem (for drift and SBOM-based rules). */
  fileCount: number;
  problems: Array<{ source: string; message: string }>;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/**
 * Reads every layer once, in order, as a stream: decompresses it, walks its tar entries, buffers only
 * the files an analyzer (or `extraWanted`) wants, and applies whiteouts and opaque directories (OCI
 * image spec, "Representing Changes") so the result is the final filesystem: a file deleted or
 * replaced by a later layer is not reported. Only wanted files are kept in memory, so memory does not
 * grow with image size.
 */
export async function walkLayers(
  layers: readonly LayerInput[],
  analyzers: readonly Analyzer[],
  extraWanted: (path: string, size: number) => boolean = () => false,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<WalkResult> {
  const present = new Map<string, WantedFile | null>(); // null: present but not wanted
  const problems: WalkResult['problems'] = [];
  for (const layer of layers) {
    try {
      await walkOne(layer, present, analyzers, extraWanted, limits, problems);
    } catch (error) {
      problems.push({ source: `layer ${layer.digest}`, message: (error as Error).message });
    }
  }
  const files = [...present.values()].filter((f): f is WantedFile => f !== null);
  return { files, fileCount: present.size, problems };
}

async function walkOne(
  layer: LayerInput,
  present: Map<string, WantedFile | null>,
  analyzers: readonly Analyzer[],
  extraWanted: (path: string, size: number) => boolean,
  limits: LayerLimits,
  problems: WalkResult['problems'],
): Promise<void> {
  const opaqueDirs: string[] = [];
  const deleted: string[] = [];
  const added = new Map<string, WantedFile | null>();
  let entries = 0;
  const tar = extract();
  tar.on('entry', (header: Header, stream, next) => {
    const done = (error?: Error) => (error ? next(error) : next());
    // When the pipeline fails mid-entry, the entry stream is destroyed with the same error: the
    // pipeline's rejection reports it once; this listener keeps the echo from crashing the process.
    stream.on('error', () => {});
    if (++entries > limits.maxEntries) {
      stream.resume();
      return done(new Error(`more than ${limits.maxEntries} entries`));
    }
    const path = imagePath(header.name);
    if (path === '') {
      stream.resume(); // the root directory entry
      stream.on('end', () => done());
      return;
    }
    if (path === undefined) {
      problems.push({
        source: `layer ${layer.digest}`,
        message: `skipped entry escaping the image root: ${JSON.stringify(header.name)}`,
      });
      stream.resume();
      stream.on('end', () => done());
      return;
    }
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (base === OPAQUE) opaqueDirs.push(dir);
    else if (base.startsWith(WHITEOUT))
      deleted.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
    const size = header.size ?? 0;
    const regular = header.type === 'file' || header.type === 'contiguous-file';
    const mode = header.mode;
    const wanting = regular ? analyzers.filter((a) => a.wants(path, size, mode)) : [];
    const isWanted = regular && (wanting.length > 0 || extraWanted(path, size));
    if (!base.startsWith(WHITEOUT) && header.type !== 'directory') {
      // A later entry for the same path in this layer replaces the earlier one (tar semantics).
      added.set(path, null);
    }
    if (!isWanted) {
      stream.resume();
      stream.on('end', () => done());
      return;
    }
    if (size > limits.maxFileBytes) {
      problems.push({
        source: `layer ${layer.digest}`,
        message: `skipped ${path}: ${size} bytes is over the ${limits.maxFileBytes}-byte limit`,
      });
      stream.resume();
      stream.on('end', () => done());
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      // An analyzer that reduces files (executables → build info) gets the reduced bytes; the file is
      // then kept only if something remains.
      const whole = Buffer.concat(chunks);
      const reducer = wanting.length === 1 && !extraWanted(path, size) ? wanting[0]!.reduce : undefined;
      const content = reducer ? reducer(whole) : whole;
      if (content)
        added.set(path, {
          path,
          content,
          layer: layer.digest,
          ...(reducer ? { reducedBy: wanting[0]!.name } : {}),
        });
      done();
    });
  });
  // tar-stream's streamx extractor re-emits the pipeline's error after teardown; the pipeline's
  // rejection below already carries it, so the echo is swallowed here instead of crashing the process.
  tar.on('error', () => {});
  const raw = await layer.open();
  const decompressor = await decompressorFor(raw);
  // One pipeline for every stage, so an error anywhere (bomb, corrupt gzip, digest) tears all of it down.
  const stages = [
    raw,
    ...(decompressor ? [decompressor] : []),
    countBytes(limits.maxLayerBytes),
    tar,
  ] as const;
  await pipeline(stages as unknown as [Readable, Transform]);
  // Deletions apply to lower layers only; this layer's own entries then go on top.
  for (const dir of opaqueDirs)
    for (const p of [...present.keys()]) if (p.startsWith(`${dir}/`) || dir === '') present.delete(p);
  for (const gone of deleted)
    for (const p of [...present.keys()]) if (p === gone || p.startsWith(`${gone}/`)) present.delete(p);
  for (const [p, f] of added) present.set(p, f);
}

/** Peeks at the first bytes: gzip, zstd (when this Node has it) or a plain tar (no decompressor). */
async function decompressorFor(raw: Readable): Promise<Transform | undefined> {
  const first = await new Promise<Buffer>((resolve, reject) => {
    const onReadable = () => {
      const chunk = raw.read(4) as Buffer | null;
      if (chunk) {
        raw.off('readable', onReadable);
        raw.off('end', onEnd);
        raw.unshift(chunk);
        resolve(chunk);
      }
    };
    const onEnd = () => resolve(Buffer.alloc(0));
    raw.on('readable', onReadable);
    raw.once('end', onEnd);
    raw.once('error', reject);
  });
  if (first[0] === 0x1f && first[1] === 0x8b) return zlib.createGunzip();
  if (first.length >= 4 && first.readUInt32LE(0) === 0xfd2fb528) {
    const zstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
    if (!zstd) throw new Error('zstd-compressed layer: this Node.js has no zstd decoder (Node ≥ 22.15 does)');
    return zstd();
  }
  return undefined;
}

function countBytes(max: number): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: string, callback: (error?: Error | null, data?: Buffer) => void) {
      total += chunk.length;
      if (total > max) callback(new Error(`layer expands past ${max} bytes (decompression bomb?)`));
      else callback(null, chunk);
    },
  });
}

/** A stream that checks, as bytes pass, that they hash to the expected `sha256:` digest. */
export function verifyingDigest(expected: string, source: Readable): Readable {
  const [algorithm, hex] = expected.split(':');
  const hash = createHash(algorithm === 'sha512' ? 'sha512' : 'sha256');
  return source.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        const actual = hash.digest('hex');
        callback(
          actual === hex
            ? null
            : new Error(`blob ${expected} does not match its digest (got ${algorithm}:${actual})`),
        );
      },
    }),
  );
}
