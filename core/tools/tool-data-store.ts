import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ObjectStore } from '../store/object-store.js';

/**
 * ClamAV signature databases and user YARA rules in the object store, for the tools on the agents
 * (`kubectl seco tools data publish --clamav DIR --yara DIR`), laid out like the vuln DB: each file
 * content-addressed under its SHA-256 (`tooldata/blobs/sha256/<hex>`, uploaded once), then the manifest
 * naming them, written last so a reader never sees a revision whose files are not all there.
 */
export const TOOLDATA_MANIFEST_KEY = 'tooldata/manifest.json';
export const toolDataBlobKey = (sha256: string) => `tooldata/blobs/sha256/${sha256}`;
const SCHEMA = 'seco.tooldata-manifest/v1';

/** What each kind of data may hold: ClamAV's database formats, YARA source files. */
const EXTENSIONS = {
  clamav: /\.(cvd|cld|cud|hdb|hsb|mdb|msb|ndb|ldb|cdb|idb|ign|ign2|fp|sfp|pdb|gdb|wdb|cfg|ftm|crb|info)$/,
  yara: /\.(yar|yara)$/,
} as const;
export type ToolDataKind = keyof typeof EXTENSIONS;

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HEX64 = /^[0-9a-f]{64}$/;
/** main.cvd is ~170 MiB today; a file over this is refused rather than filling an agent's cache. */
const MAX_FILE_BYTES = 1024 * 2 ** 20;
const MAX_MANIFEST_BYTES = 1024 * 1024;

const Files = z.record(
  z.string().regex(FILE_NAME),
  z.object({ sha256: z.string().regex(HEX64), bytes: z.number().int().nonnegative().max(MAX_FILE_BYTES) }),
);
const Manifest = z.object({
  schema: z.literal(SCHEMA),
  /** SHA-256 over every kind's file names and hashes: the same data gives the same revision. */
  revision: z.string().regex(HEX64),
  publishedAt: z.string(),
  clamav: Files.optional(),
  yara: Files.optional(),
});
export type ToolDataManifest = z.infer<typeof Manifest>;

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The data files of a directory (not recursive, regular files with the kind's extensions), sorted. */
async function dataFiles(dir: string, kind: ToolDataKind): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: Error) => {
    throw new Error(`${kind} data ${dir}: ${error.message}`);
  });
  const files = entries
    .filter((e) => e.isFile() && FILE_NAME.test(e.name) && EXTENSIONS[kind].test(e.name))
    .map((e) => e.name)
    .sort();
  if (files.length === 0)
    throw new Error(
      `${kind} data ${dir}: no ${kind === 'clamav' ? 'signature database' : 'YARA rule'} files in it`,
    );
  return files;
}

function revisionOf(manifest: Pick<ToolDataManifest, 'clamav' | 'yara'>): string {
  const lines = (['clamav', 'yara'] as const).flatMap((kind) =>
    Object.entries(manifest[kind] ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, f]) => `${kind}\u0000${name}\u0000${f.sha256}\n`),
  );
  return sha256(lines.join(''));
}

/**
 * Publishes the directories given; a kind not given keeps what the store's manifest has (publishing
 * new YARA rules leaves the ClamAV databases as they were).
 */
export async function publishToolData(
  store: ObjectStore,
  dirs: Partial<Record<ToolDataKind, string>>,
  now = new Date(),
): Promise<ToolDataManifest> {
  const previous = await readManifest(store).catch(() => undefined);
  const next: Pick<ToolDataManifest, 'clamav' | 'yara'> = {
    ...(previous?.clamav ? { clamav: previous.clamav } : {}),
    ...(previous?.yara ? { yara: previous.yara } : {}),
  };
  for (const kind of ['clamav', 'yara'] as const) {
    const dir = dirs[kind];
    if (!dir) continue;
    const files: z.infer<typeof Files> = {};
    for (const name of await dataFiles(dir, kind)) {
      const body = await readFile(join(dir, name));
      if (body.length > MAX_FILE_BYTES) throw new Error(`${join(dir, name)}: over ${MAX_FILE_BYTES} bytes`);
      if (kind === 'yara' && /^\s*include\s/m.test(body.toString('utf8')))
        throw new Error(`${join(dir, name)}: include is not allowed (rules must be self-contained)`);
      const hash = sha256(body);
      files[name] = { sha256: hash, bytes: body.length };
      if (!(await store.stat(toolDataBlobKey(hash))))
        await store.put(toolDataBlobKey(hash), body, { contentType: 'application/octet-stream' });
    }
    next[kind] = files;
  }
  const manifest: ToolDataManifest = {
    schema: SCHEMA,
    revision: revisionOf(next),
    publishedAt: now.toISOString(),
    ...next,
  };
  await store.put(TOOLDATA_MANIFEST_KEY, `${JSON.stringify(manifest, null, 2)}\n`, {
    contentType: 'application/json',
  });
  return manifest;
}

async function readManifest(store: ObjectStore): Promise<ToolDataManifest | undefined> {
  const body = await store.get(TOOLDATA_MANIFEST_KEY);
  if (!body) return undefined;
  if (body.length > MAX_MANIFEST_BYTES)
    throw new Error(`${TOOLDATA_MANIFEST_KEY}: over ${MAX_MANIFEST_BYTES} bytes`);
  const parsed = Manifest.safeParse(JSON.parse(body.toString('utf8')));
  if (!parsed.success) throw new Error(`${TOOLDATA_MANIFEST_KEY}: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.revision !== revisionOf(parsed.data))
    throw new Error(`${TOOLDATA_MANIFEST_KEY}: revision does not match its files`);
  return parsed.data;
}

/** Where an agent's copy of the store's tool data is: a directory per kind, as the adapters take them. */
export interface FetchedToolData {
  revision: string;
  clamavDatabase?: string;
  yaraRules?: string[];
}

/**
 * The store's tool data in `cacheDir`, fetched when its revision changed: each file by digest into
 * `blobs/` (checked against its SHA-256; one already there is not fetched again), then linked by name
 * into `<revision>/<kind>/` (made aside and renamed into place, so a half-made revision is never used).
 * Undefined when nothing was published.
 */
export async function fetchToolData(
  store: ObjectStore,
  cacheDir: string,
): Promise<FetchedToolData | undefined> {
  const manifest = await readManifest(store);
  if (!manifest) return undefined;
  const revisionDir = join(cacheDir, manifest.revision);
  const result: FetchedToolData = {
    revision: manifest.revision,
    ...(manifest.clamav ? { clamavDatabase: join(revisionDir, 'clamav') } : {}),
    ...(manifest.yara ? { yaraRules: [join(revisionDir, 'yara')] } : {}),
  };
  if (await stat(revisionDir).catch(() => undefined)) return result;
  const blobs = join(cacheDir, 'blobs');
  await mkdir(blobs, { recursive: true, mode: 0o700 });
  const making = `${revisionDir}.making-${process.pid}`;
  await rm(making, { recursive: true, force: true });
  for (const kind of ['clamav', 'yara'] as const) {
    const files = manifest[kind];
    if (!files) continue;
    await mkdir(join(making, kind), { recursive: true, mode: 0o700 });
    for (const [name, file] of Object.entries(files)) {
      const blob = join(blobs, file.sha256);
      let body: Buffer | undefined = await readFile(blob).catch(() => undefined);
      if (!body || sha256(body) !== file.sha256) {
        body = await store.get(toolDataBlobKey(file.sha256));
        if (!body)
          throw new Error(`${toolDataBlobKey(file.sha256)} (${kind} ${name}) is missing from the store`);
        if (sha256(body) !== file.sha256)
          throw new Error(`${toolDataBlobKey(file.sha256)} (${kind} ${name}) does not match its digest`);
        await writeFile(blob, body, { mode: 0o600 });
      }
      await writeFile(join(making, kind, name), body, { mode: 0o600 });
    }
  }
  await rename(making, revisionDir);
  return result;
}
