import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';

/** One advisory file's bytes, named for error messages (`all.zip:GHSA-xxxx.json`). */
export interface OsvFile {
  name: string;
  text: string;
}

export interface OsvSourceLimits {
  /** Largest single advisory file read. OSV records are a few KiB; anything huge is hostile. */
  maxRecordBytes: number;
  /** Most entries read from one archive (zip bombs by count). */
  maxEntries: number;
}

export const DEFAULT_OSV_LIMITS: OsvSourceLimits = { maxRecordBytes: 4 * 1024 * 1024, maxEntries: 2_000_000 };

export type OsvSourceItem =
  | { file: OsvFile }
  | { problem: { source: string; message: string; kind?: 'warning' } };

/** Advisory files from a directory of OSV JSON files (recursively) or an osv.dev `all.zip` export. */
export async function* readOsvSource(
  path: string,
  limits = DEFAULT_OSV_LIMITS,
): AsyncGenerator<OsvSourceItem> {
  const info = await stat(path);
  if (info.isDirectory()) {
    let files = 0;
    for await (const item of readDirectory(path, limits)) {
      files++;
      yield item;
    }
    if (files === 0)
      yield {
        problem: { source: path, message: 'no OSV JSON files (*.json) in this directory', kind: 'warning' },
      };
  } else if (await isZip(path)) {
    yield* readZip(path, limits);
  } else if (path.toLowerCase().endsWith('.zip')) {
    // A download that failed often leaves an HTML error page or a truncated file under the zip's name.
    yield {
      problem: {
        source: path,
        message: 'not a zip archive (it does not start with the zip signature PK\\3\\4)',
      },
    };
  } else {
    yield* readOne(path, info.size, limits);
  }
}

async function isZip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    return magic.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  } finally {
    await handle.close();
  }
}

async function* readDirectory(dir: string, limits: OsvSourceLimits): AsyncGenerator<OsvSourceItem> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* readDirectory(path, limits);
    else if (entry.isFile() && entry.name.endsWith('.json'))
      yield* readOne(path, (await stat(path)).size, limits);
  }
}

async function* readOne(path: string, size: number, limits: OsvSourceLimits): AsyncGenerator<OsvSourceItem> {
  if (size > limits.maxRecordBytes) {
    yield { problem: { source: path, message: `refused: ${size} bytes is larger than an advisory can be` } };
    return;
  }
  yield { file: { name: path, text: await readFile(path, 'utf8') } };
}

/** Streams a zip's `.json` entries one at a time; sizes are checked against the limit as bytes arrive. */
async function* readZip(path: string, limits: OsvSourceLimits): AsyncGenerator<OsvSourceItem> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, z) =>
      err || !z ? reject(err ?? new Error('cannot open zip')) : resolve(z),
    ),
  );
  let count = 0;
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => done(e);
        const onEnd = () => done(undefined);
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const cleanup = () => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        const done = (e: yauzl.Entry | undefined) => {
          cleanup();
          resolve(e);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (++count > limits.maxEntries) {
        yield {
          problem: { source: path, message: `more than ${limits.maxEntries} entries: the rest are not read` },
        };
        return;
      }
      const name = `${path}:${entry.fileName}`;
      if (entry.fileName.endsWith('/') || !entry.fileName.endsWith('.json')) continue;
      if (entry.uncompressedSize > limits.maxRecordBytes) {
        yield {
          problem: {
            source: name,
            message: `refused: ${entry.uncompressedSize} bytes is larger than an advisory can be`,
          },
        };
        continue;
      }
      try {
        yield { file: { name, text: await readEntry(zip, entry, limits.maxRecordBytes) } };
      } catch (error) {
        yield { problem: { source: name, message: (error as Error).message } };
      }
    }
  } finally {
    zip.close();
  }
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('cannot read entry'));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // yauzl checks sizes against the header too; this also stops an entry that lies about its size.
        if (size > max) stream.destroy(new Error(`refused: expands past ${max} bytes`));
        else chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}
