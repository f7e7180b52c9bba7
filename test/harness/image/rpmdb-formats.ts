import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { requireTool } from '../registry/required-tool.js';

/** The header blobs of a real SQLite rpmdb (as `rpm` wrote them), by header instance number. */
export async function headersOf(sqliteDb: string): Promise<Array<{ hnum: number; blob: Buffer }>> {
  const require = createRequire(import.meta.url);
  const SQL = await initSqlJs({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
  const db = new SQL.Database(readFileSync(sqliteDb));
  try {
    const rows = db.exec('SELECT hnum, blob FROM Packages ORDER BY hnum')[0]?.values ?? [];
    return rows.map(([hnum, blob]) => ({ hnum: Number(hnum), blob: Buffer.from(blob as Uint8Array) }));
  } finally {
    db.close();
  }
}

/**
 * Writes `dir/Packages` as rpm < 4.16 kept it: a BerkeleyDB hash database, written by BerkeleyDB
 * itself (`db5.3_load`, Debian's db5.3-util) from its documented dump format, key = the header
 * instance as a native-endian uint32, value = the header blob. Debian's rpm reads it back with its
 * `bdb_ro` backend, which is the ground truth the analyzer is checked against.
 */
export function writeBdbPackages(
  headers: Array<{ hnum: number; blob: Buffer }>,
  dir: string,
  pageSize?: number,
): string {
  requireTool('db5.3_load', 'db5.3-util');
  mkdirSync(dir, { recursive: true });
  const key = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b.toString('hex');
  };
  const dump = [
    'VERSION=3',
    'format=bytevalue',
    'type=hash',
    ...(pageSize ? [`db_pagesize=${pageSize}`] : []),
    'HEADER=END',
    ...headers.flatMap((h) => [` ${key(h.hnum)}`, ` ${h.blob.toString('hex')}`]),
    'DATA=END',
    '',
  ].join('\n');
  const dumpFile = join(dir, 'Packages.dump');
  writeFileSync(dumpFile, dump);
  execFileSync('db5.3_load', ['-f', dumpFile, join(dir, 'Packages')]);
  return join(dir, 'Packages');
}

/** `rpm -qa` over a BerkeleyDB rpmdb, through Debian rpm's read-only BerkeleyDB backend. */
export function rpmQueryBdb(dir: string): string[] {
  return execFileSync(
    'rpm',
    [
      '--dbpath',
      dir,
      '--define',
      '_db_backend bdb_ro',
      '-qa',
      '--qf',
      '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
    .trim()
    .split('\n')
    .sort();
}

// zlib's adler32 (RFC 1950 §8.2), which ndb's blob tails carry.
function adler32(bytes: Buffer, start = 1): number {
  let a = start & 0xffff;
  let b = start >>> 16;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Writes an rpm "ndb" Packages.db with the layout of rpm's lib/backend/ndb/rpmpkg.c (rpmpkgWriteHeader,
 * rpmpkgWriteslot, rpmpkgWriteBlob): Debian's rpm is built without ndb, so no tool here can write one.
 * Header: 'RpmP', version 0, generation, slot page count, next pkgidx. Slot pages: 16-byte slots
 * ('Slot', pkgidx, blkoff, blkcnt; the first two slots' room is the header). Blobs from the end of the
 * slot pages, in 16-byte blocks: head ('BlbS', pkgidx, generation, length), the header blob, zero
 * padding, tail (adler32 of head+blob+padding, length, 'BlbE'). All integers little-endian.
 */
export function writeNdbPackages(headers: Array<{ hnum: number; blob: Buffer }>, path: string): string {
  const slotPages = 1;
  const u32 = (...values: number[]) => {
    const b = Buffer.alloc(values.length * 4);
    for (const [i, v] of values.entries()) b.writeUInt32LE(v >>> 0, i * 4);
    return b;
  };
  const magic = (text: string) => Buffer.from(text, 'latin1').readUInt32LE(0);
  const slots = Buffer.alloc(slotPages * 4096);
  u32(magic('RpmP'), 0, 1, slotPages, headers.length + 1).copy(slots, 0);
  for (let at = 32; at < slots.length; at += 16) u32(magic('Slot'), 0, 0, 0).copy(slots, at);
  const blobs: Buffer[] = [];
  let blkoff = (slotPages * 4096) / 16;
  headers.forEach((h, i) => {
    const blkcnt = Math.ceil((16 + h.blob.length + 12) / 16);
    const head = u32(magic('BlbS'), h.hnum, 1, h.blob.length);
    const padding = Buffer.alloc(blkcnt * 16 - 16 - h.blob.length - 12);
    const body = Buffer.concat([head, h.blob, padding]);
    blobs.push(body, u32(adler32(body), h.blob.length, magic('BlbE')));
    u32(magic('Slot'), h.hnum, blkoff, blkcnt).copy(slots, 32 + i * 16);
    blkoff += blkcnt;
  });
  writeFileSync(path, Buffer.concat([slots, ...blobs]));
  return path;
}
