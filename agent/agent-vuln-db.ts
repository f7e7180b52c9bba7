import type { ObjectStore } from '../core/store/object-store.js';
import { readVulnDbMeta, VulnIndex } from '../core/vuln/vuln-db.js';
import { fetchVulnDb, VULNDB_MANIFEST_KEY } from '../core/vuln/vuln-db-store.js';

export const DEFAULT_CACHE_DIR = '/var/cache/seco';

/** The DB an image job gets: an index to match with, or why there is none. */
export type VulnDbState = { index: VulnIndex; missing?: undefined } | { index?: undefined; missing: string };

/** What an image job asks for: the advisories of the DB revision currently in the store. */
export interface VulnDbSource {
  /** With `store`, the DB is read through it (an agent's job-scoped store of pre-signed URLs). */
  load(store?: ObjectStore): Promise<VulnDbState>;
}

/**
 * The agent's copy of the store's vuln DB (`kubectl seco db import --s3-…` publishes it; agents never
 * download from the internet): each call reads the manifest, fetches a new revision into `cacheDir`
 * when the store's changed, and keeps the loaded index in memory while the revision stays. No DB in
 * the store, or one that cannot be fetched (cache dir unwritable or full), means images are inventoried
 * without vulnerability matching — the last good index is kept if there was one — and `load()` says why,
 * so the job reports it as a problem. Nothing negative is cached: the next job asks the store again.
 */
export class AgentVulnDb implements VulnDbSource {
  private loaded?: { revision: string; index: VulnIndex };
  private lastSaid = '';

  constructor(
    private readonly store: ObjectStore | undefined,
    private readonly cacheDir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async index(): Promise<VulnIndex | undefined> {
    return (await this.load()).index;
  }

  async load(store = this.store): Promise<VulnDbState> {
    try {
      if (!store) throw new Error('no object store to read it from');
      const fetched = await fetchVulnDb(store, this.cacheDir);
      if (!fetched) {
        const missing = `no vulnerability database has been published to the object store (${VULNDB_MANIFEST_KEY}): publish one with kubectl seco db import --s3-endpoint …`;
        this.say(`${missing}; images are inventoried but not matched`);
        return this.loaded ? { index: this.loaded.index } : { missing };
      }
      if (this.loaded?.revision !== fetched.revision) {
        const meta = await readVulnDbMeta(fetched.dir);
        if (!meta) throw new Error(`${fetched.dir} holds no vuln DB metadata`);
        this.loaded = {
          revision: fetched.revision,
          index: await VulnIndex.load(fetched.dir, Object.keys(meta.ecosystems)),
        };
        this.say(`vulnerability database revision ${fetched.revision.slice(0, 12)} loaded`);
      }
      return { index: this.loaded.index };
    } catch (error) {
      const missing = `the vulnerability database could not be loaded from ${VULNDB_MANIFEST_KEY} into ${this.cacheDir}: ${(error as Error).message}`;
      this.say(
        `${missing}; ${this.loaded ? 'keeping the previous revision' : 'images are inventoried but not matched'}`,
      );
      return this.loaded ? { index: this.loaded.index } : { missing };
    }
  }

  /** Logs a state once, not on every job. */
  private say(line: string): void {
    if (line === this.lastSaid) return;
    this.lastSaid = line;
    this.log(line);
  }
}
