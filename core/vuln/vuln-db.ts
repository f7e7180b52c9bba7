import { createReadStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageKey, parseEcosystem } from './ecosystem.js';
import { OsvRecord } from './osv/osv-record.js';
import { readOsvSource } from './osv/read-osv-source.js';

export const VULNDB_SCHEMA = 'seco.vulndb/v1';

export interface VulnDbMeta {
  schema: typeof VULNDB_SCHEMA;
  updatedAt: string;
  sources: Array<{ path: string; importedAt: string; records: number }>;
  /** Records per base ecosystem (`Debian`, `npm`, …). */
  ecosystems: Record<string, number>;
  /** Newest `modified` among the records: how fresh the advisories are. */
  newestModified?: string;
}

export interface ImportResult {
  /** The database after the import; undefined when nothing was imported into a directory that had none. */
  meta: VulnDbMeta | undefined;
  imported: number;
  withdrawn: number;
  /** `warning`: worth knowing, nothing was left out (an empty directory); else input that was skipped. */
  problems: Array<{ source: string; message: string; kind?: 'warning' }>;
}

/** Where a vuln DB directory keeps its meta and each ecosystem's advisories (one NDJSON record a line). */
export const metaPath = (dir: string) => join(dir, 'meta.json');
export const ecosystemFile = (dir: string, base: string) => join(dir, `${encodeURIComponent(base)}.ndjson`);

/**
 * Imports OSV advisories (a directory of JSON files or an osv.dev `all.zip`) into a vuln DB directory:
 * one NDJSON file per ecosystem, merged with what is there (the newest `modified` of an id wins).
 * Invalid records are reported by file and skipped; files are replaced atomically, so a failed
 * import leaves the previous DB whole. An import that brings no record leaves the database as it was
 * — no meta is written, so `db status` never calls an empty database fresh.
 */
export async function importOsv(source: string, dbDir: string, now = new Date()): Promise<ImportResult> {
  const byEcosystem = new Map<string, Map<string, OsvRecord>>();
  const problems: ImportResult['problems'] = [];
  let imported = 0;
  let withdrawn = 0;
  for await (const item of readOsvSource(source)) {
    if ('problem' in item) {
      problems.push(item.problem);
      continue;
    }
    const record = parseRecord(item.file.name, item.file.text, problems);
    if (!record) continue;
    imported++;
    if (imported === 1) await mkdir(dbDir, { recursive: true });
    if (record.withdrawn) withdrawn++;
    for (const base of new Set(
      (record.affected ?? []).flatMap((a) => (a.package ? [parseEcosystem(a.package.ecosystem).base] : [])),
    )) {
      const records = byEcosystem.get(base) ?? (await loadEcosystem(dbDir, base));
      byEcosystem.set(base, records);
      const existing = records.get(record.id);
      if (!existing || (record.modified ?? '') >= (existing.modified ?? '')) records.set(record.id, record);
    }
  }
  if (imported === 0) return { meta: await readVulnDbMeta(dbDir), imported, withdrawn, problems };
  for (const [base, records] of byEcosystem)
    await writeAtomically(
      ecosystemFile(dbDir, base),
      `${[...records.values()].map((r) => JSON.stringify(r)).join('\n')}\n`,
    );
  const meta = await rebuildMeta(
    dbDir,
    { path: source, importedAt: now.toISOString(), records: imported },
    now,
  );
  return { meta, imported, withdrawn, problems };
}

function parseRecord(name: string, text: string, problems: ImportResult['problems']): OsvRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push({ source: name, message: 'not valid JSON' });
    return undefined;
  }
  const parsed = OsvRecord.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    problems.push({
      source: name,
      message: `not an OSV record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    });
    return undefined;
  }
  return parsed.data;
}

async function loadEcosystem(dbDir: string, base: string): Promise<Map<string, OsvRecord>> {
  const records = new Map<string, OsvRecord>();
  for await (const record of readEcosystem(dbDir, base)) records.set(record.id, record);
  return records;
}

async function* readEcosystem(dbDir: string, base: string): AsyncGenerator<OsvRecord> {
  const file = ecosystemFile(dbDir, base);
  try {
    await access(file);
  } catch {
    return; // no advisories for this ecosystem
  }
  const input = createReadStream(file, 'utf8');
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '') continue;
    const parsed = OsvRecord.safeParse(JSON.parse(line));
    if (parsed.success) yield parsed.data;
  }
}

async function rebuildMeta(
  dbDir: string,
  source: VulnDbMeta['sources'][number],
  now: Date,
): Promise<VulnDbMeta> {
  const previous = await readVulnDbMeta(dbDir);
  const ecosystems: Record<string, number> = {};
  let newest: string | undefined;
  for (const file of (await readdir(dbDir)).filter((f) => f.endsWith('.ndjson')).sort()) {
    const base = decodeURIComponent(file.slice(0, -'.ndjson'.length));
    let count = 0;
    for await (const record of readEcosystem(dbDir, base)) {
      count++;
      if (record.modified && (!newest || record.modified > newest)) newest = record.modified;
    }
    ecosystems[base] = count;
  }
  const meta: VulnDbMeta = {
    schema: VULNDB_SCHEMA,
    updatedAt: now.toISOString(),
    sources: [...(previous?.sources ?? []), source],
    ecosystems,
    ...(newest ? { newestModified: newest } : {}),
  };
  await writeAtomically(metaPath(dbDir), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

export async function readVulnDbMeta(dbDir: string): Promise<VulnDbMeta | undefined> {
  try {
    const meta = JSON.parse(await readFile(metaPath(dbDir), 'utf8')) as VulnDbMeta;
    return meta.schema === VULNDB_SCHEMA ? meta : undefined;
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

/** Advisories indexed by ecosystem and package name, loaded for the ecosystems a scan needs. */
export class VulnIndex {
  private readonly byPackage = new Map<string, OsvRecord[]>();

  static async load(dbDir: string, ecosystems: Iterable<string>): Promise<VulnIndex> {
    const index = new VulnIndex();
    for (const base of new Set(ecosystems))
      for await (const record of readEcosystem(dbDir, base)) index.add(record);
    return index;
  }

  add(record: OsvRecord): void {
    if (record.withdrawn) return; // OSV: a withdrawn record no longer applies to anything
    const keys = new Set<string>();
    for (const affected of record.affected ?? []) {
      if (affected.package)
        keys.add(packageKey(parseEcosystem(affected.package.ecosystem).base, affected.package.name));
    }
    for (const key of keys) {
      const list = this.byPackage.get(key);
      if (list) list.push(record);
      else this.byPackage.set(key, [record]);
    }
  }

  recordsFor(base: string, name: string): readonly OsvRecord[] {
    return this.byPackage.get(packageKey(base, name)) ?? [];
  }

  get packageCount(): number {
    return this.byPackage.size;
  }
}
