import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import type { ObjectStore } from '../store/object-store.js';
import { ecosystemFile, metaPath, readVulnDbMeta, VULNDB_SCHEMA } from './vuln-db.js';

/**
 * The object layout (DESIGN.md `vulndb/...`): shards are content-addressed by the SHA-256 of their
 * NDJSON, so an unchanged ecosystem is neither uploaded nor downloaded again; the manifest is written
 * last, so a reader never sees a revision whose shards are not all there.
 */
export const VULNDB_MANIFEST_KEY = 'vulndb/manifest.json';
const VULNDB_MANIFEST_SCHEMA = 'seco.vulndb-manifest/v1';
const shardKey = (sha256: string) => `vulndb/shards/sha256/${sha256}.ndjson.gz`;

const MAX_MANIFEST_BYTES = 1024 * 1024;
const DEFAULT_MAX_SHARD_BYTES = 2 * 1024 * 1024 * 1024;
const HEX64 = /^[0-9a-f]{64}$/;

const Shard = z.object({
  sha256: z.string().regex(HEX64),
  bytes: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
});
const Manifest = z.object({
  schema: z.literal(VULNDB_MANIFEST_SCHEMA),
  /** SHA-256 over the ecosystems and their shard hashes: the same advisories give the same revision. */
  revision: z.string().regex(HEX64),
  publishedAt: z.string(),
  meta: z.looseObject({ schema: z.literal(VULNDB_SCHEMA), updatedAt: z.string() }),
  shards: z.record(z.string().min(1).max(200), Shard),
});
export type VulnDbManifest = z.infer<typeof Manifest>;

const gzipAsync = promisify(gzip);
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function revisionOf(shards: VulnDbManifest['shards']): string {
  const lines = Object.keys(shards)
    .sort()
    .map((base) => `${base}\u0000${shards[base]!.sha256}\n`);
  return sha256(lines.join(''));
}

/**
 * Puts a local vuln DB directory (`db import`'s output) into the object store: each ecosystem's
 * NDJSON gzipped under its hash (skipped when already there), then the manifest.
 */
export async function publishVulnDb(
  dbDir: string,
  store: ObjectStore,
  now = new Date(),
): Promise<VulnDbManifest> {
  const meta = await readVulnDbMeta(dbDir);
  if (!meta) throw new Error(`no vulnerability database in ${dbDir}: run kubectl seco db import PATH first`);
  const shards: VulnDbManifest['shards'] = {};
  for (const base of Object.keys(meta.ecosystems).sort()) {
    const text = await readFile(ecosystemFile(dbDir, base));
    const hash = sha256(text);
    shards[base] = { sha256: hash, bytes: text.length, records: meta.ecosystems[base] ?? 0 };
    if (!(await store.stat(shardKey(hash))))
      await store.put(shardKey(hash), await gzipAsync(text), { contentType: 'application/gzip' });
  }
  const manifest: VulnDbManifest = {
    schema: VULNDB_MANIFEST_SCHEMA,
    revision: revisionOf(shards),
    publishedAt: now.toISOString(),
    meta: { ...meta },
    shards,
  };
  await store.put(VULNDB_MANIFEST_KEY, `${JSON.stringify(manifest, null, 2)}\n`, {
    contentType: 'application/json',
  });
  return manifest;
}

/** The manifest in the store, checked; undefined when no DB was published. */
export async function readVulnDbManifest(store: ObjectStore): Promise<VulnDbManifest | undefined> {
  const info = await store.stat(VULNDB_MANIFEST_KEY);
  if (!info) return undefined;
  if (info.size > MAX_MANIFEST_BYTES)
    throw new Error(
      `${VULNDB_MANIFEST_KEY} is ${info.size} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`,
    );
  const bytes = await store.get(VULNDB_MANIFEST_KEY);
  if (!bytes) return undefined;
  let parsed: VulnDbManifest;
  try {
    parsed = Manifest.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    const issue = (error as { issues?: Array<{ path: unknown[]; message: string }> }).issues?.[0];
    const why = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : (error as Error).message;
    throw new Error(`${VULNDB_MANIFEST_KEY} is not a seco vuln DB manifest (${why})`);
  }
  if (parsed.revision !== revisionOf(parsed.shards))
    throw new Error(`${VULNDB_MANIFEST_KEY}: revision ${parsed.revision} does not match its shards`);
  return parsed;
}

export interface FetchedVulnDb {
  revision: string;
  /** A vuln DB directory for VulnIndex.load. */
  dir: string;
  /** False when the cache already held this revision and nothing was read from the store but the manifest. */
  fetched: boolean;
  /** Shards downloaded (the others were reused from an earlier revision in the cache). */
  downloaded: number;
}

export interface FetchOptions {
  /** Largest shard accepted after decompression (a decompression bomb stops here). */
  maxShardBytes?: number;
}

/**
 * Brings the store's vuln DB into `cacheDir/<revision>/` (an agent's local cache): nothing but the
 * manifest is read when that revision is already there; shards whose hash an older cached revision
 * holds are copied locally; the rest are downloaded, gunzipped with a size cap and checked against
 * their hash. The revision directory appears whole (renamed into place) and older ones are removed.
 */
export async function fetchVulnDb(
  store: ObjectStore,
  cacheDir: string,
  options: FetchOptions = {},
): Promise<FetchedVulnDb | undefined> {
  const manifest = await readVulnDbManifest(store);
  if (!manifest) return undefined;
  const dir = join(cacheDir, manifest.revision);
  if (await readVulnDbMeta(dir)) return { revision: manifest.revision, dir, fetched: false, downloaded: 0 };
  await mkdir(cacheDir, { recursive: true });
  const known = await cachedShards(cacheDir);
  const temp = join(cacheDir, `.incoming-${randomBytes(8).toString('hex')}`);
  await mkdir(temp);
  let downloaded = 0;
  try {
    for (const [base, shard] of Object.entries(manifest.shards)) {
      const target = ecosystemFile(temp, base);
      const local = known.get(shard.sha256);
      if (local) await copyFile(local, target);
      else {
        await downloadShard(store, shard, target, options.maxShardBytes ?? DEFAULT_MAX_SHARD_BYTES);
        downloaded++;
      }
    }
    await writeFile(metaPath(temp), `${JSON.stringify(manifest.meta, null, 2)}\n`);
    await writeFile(join(temp, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
    await rename(temp, dir).catch(async (error) => {
      // Another process brought the same revision in first: theirs is as good.
      if (!(await readVulnDbMeta(dir))) throw error;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  await removeOtherRevisions(cacheDir, manifest.revision);
  return { revision: manifest.revision, dir, fetched: true, downloaded };
}

/** Shard files of revisions already in the cache, by their hash (from each revision's manifest copy). */
async function cachedShards(cacheDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of await readdir(cacheDir).catch(() => [])) {
    if (!HEX64.test(name)) continue;
    try {
      const manifest = Manifest.parse(
        JSON.parse(await readFile(join(cacheDir, name, 'manifest.json'), 'utf8')),
      );
      for (const [base, shard] of Object.entries(manifest.shards)) {
        const path = ecosystemFile(join(cacheDir, name), base);
        if ((await stat(path)).size === shard.bytes) found.set(shard.sha256, path);
      }
    } catch {
      // an unreadable cached revision is simply not reused
    }
  }
  return found;
}

async function downloadShard(
  store: ObjectStore,
  shard: z.infer<typeof Shard>,
  target: string,
  maxBytes: number,
): Promise<void> {
  const key = shardKey(shard.sha256);
  if (shard.bytes > maxBytes)
    throw new Error(`${key}: ${shard.bytes} bytes is over the ${maxBytes}-byte limit`);
  const body = await store.getStream(key);
  if (!body) throw new Error(`${key} is missing from the store (the manifest names it)`);
  const hash = createHash('sha256');
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > shard.bytes || seen > maxBytes)
        return callback(new Error(`${key} expands past the ${shard.bytes} bytes the manifest says`));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, createGunzip(), check, createWriteStream(target));
  } catch (error) {
    throw new Error(`${key}: ${(error as Error).message}`);
  }
  const actual = hash.digest('hex');
  if (seen !== shard.bytes || actual !== shard.sha256)
    throw new Error(`${key} does not match its hash (got sha256:${actual}, ${seen} bytes)`);
}

async function removeOtherRevisions(cacheDir: string, keep: string): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    if (HEX64.test(name) && name !== keep) await rm(join(cacheDir, name), { recursive: true, force: true });
  }
}
