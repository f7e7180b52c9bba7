import type { Analyzer } from '../package.js';
import { rpmPackages } from './rpm.js';

// rpm < 4.16 (RHEL/CentOS ≤ 8, Amazon Linux 2, older Fedora) keeps headers in a BerkeleyDB hash
// database: key = 4-byte header instance, value = the header blob.
const PACKAGES = /^var\/lib\/rpm\/Packages$/;

// BerkeleyDB's on-disk layout, from its dbinc/db_page.h (stable since DB 2; rpm used DB 4 and 5).
const HASH_MAGIC = 0x061561;
const META_TYPE_HASH = 8; // P_HASHMETA
const PAGE_HASH_UNSORTED = 2; // P_HASH_UNSORTED
const PAGE_HASH = 13; // P_HASH (sorted, DB ≥ 4.6)
const PAGE_OVERFLOW = 7; // P_OVERFLOW
const PAGE_HEADER = 26; // lsn 8, pgno 4, prev 4, next 4, entries 2, hf_offset 2, level 1, type 1
const ITEM_KEYDATA = 1; // H_KEYDATA: bytes inline on the page
const ITEM_OFFPAGE = 3; // H_OFFPAGE: type 1, pad 3, first overflow pgno 4, total length 4
const MAX_VALUE_BYTES = 64 * 1024 * 1024;

type Reader = (at: number) => number;

/** A BerkeleyDB hash database in memory, read-only, every offset checked against the file. */
class HashDb {
  readonly pageSize: number;
  readonly lastPage: number;
  private readonly u32: Reader;
  private readonly u16: Reader;

  constructor(
    private readonly file: Buffer,
    private readonly name: string,
  ) {
    if (file.length < 512) throw this.fail(0, `${file.length} bytes is too short for a BerkeleyDB file`);
    const little = file.readUInt32LE(12) === HASH_MAGIC;
    if (!little && file.readUInt32BE(12) !== HASH_MAGIC)
      throw this.fail(12, 'not a BerkeleyDB hash database (bad magic)');
    this.u32 = (at) => (little ? file.readUInt32LE(at) : file.readUInt32BE(at));
    this.u16 = (at) => (little ? file.readUInt16LE(at) : file.readUInt16BE(at));
    this.pageSize = this.u32(20);
    if (this.pageSize < 512 || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0)
      throw this.fail(20, `page size ${this.pageSize} is not a power of two in 512..65536`);
    if (file[24] !== 0) throw this.fail(24, 'the database is encrypted');
    if (file[25] !== META_TYPE_HASH) throw this.fail(25, `page 0 is type ${file[25]}, not hash metadata`);
    this.lastPage = this.u32(32);
    if ((this.lastPage + 1) * this.pageSize > file.length)
      throw this.fail(32, `last page ${this.lastPage} lies past the end of the file (truncated?)`);
  }

  fail(offset: number, why: string): Error {
    return new Error(`${this.name} at byte ${offset}: ${why}`);
  }

  /** Every value stored on the hash pages (pages read in order, so a bucket-chain loop cannot trap us). */
  *values(): Generator<Buffer> {
    for (let pgno = 1; pgno <= this.lastPage; pgno++) {
      const start = pgno * this.pageSize;
      const type = this.file[start + 25];
      if (type !== PAGE_HASH && type !== PAGE_HASH_UNSORTED) continue;
      const entries = this.u16(start + 20);
      if (PAGE_HEADER + entries * 2 > this.pageSize)
        throw this.fail(start + 20, `page ${pgno} claims ${entries} entries, more than fit`);
      // Items are key/value pairs; an item runs from its offset to the previous item's (or the page end).
      for (let i = 1; i < entries; i += 2) {
        const offset = this.u16(start + PAGE_HEADER + i * 2);
        const end = this.u16(start + PAGE_HEADER + (i - 1) * 2);
        if (offset < PAGE_HEADER + entries * 2 || end > this.pageSize || offset >= end)
          throw this.fail(start + PAGE_HEADER + i * 2, `page ${pgno} item ${i} lies outside the page`);
        yield this.item(start + offset, start + end, pgno);
      }
    }
  }

  private item(at: number, end: number, pgno: number): Buffer {
    const kind = this.file[at];
    if (kind === ITEM_KEYDATA) return this.file.subarray(at + 1, end);
    if (kind !== ITEM_OFFPAGE || end - at < 12)
      throw this.fail(at, `page ${pgno}: unsupported item type ${kind}`);
    return this.overflow(this.u32(at + 4), this.u32(at + 8), at);
  }

  /** An overflow chain: page after page of `hf_offset` bytes each, until the stated length is read. */
  private overflow(first: number, length: number, from: number): Buffer {
    if (length > MAX_VALUE_BYTES || length > this.file.length)
      throw this.fail(from + 8, `a value of ${length} bytes is larger than the file allows`);
    const out = Buffer.alloc(length);
    const seen = new Set<number>();
    let filled = 0;
    for (let pgno = first; filled < length; ) {
      if (pgno === 0 || pgno > this.lastPage) throw this.fail(from, `overflow page ${pgno} does not exist`);
      if (seen.has(pgno)) throw this.fail(from, `overflow chain loops back to page ${pgno}`);
      seen.add(pgno);
      const start = pgno * this.pageSize;
      if (this.file[start + 25] !== PAGE_OVERFLOW)
        throw this.fail(start + 25, `page ${pgno} is not an overflow page`);
      const used = this.u16(start + 22);
      if (used > this.pageSize - PAGE_HEADER || used > length - filled)
        throw this.fail(start + 22, `overflow page ${pgno} holds more than the value's length`);
      if (used === 0) throw this.fail(start + 22, `overflow page ${pgno} is empty`);
      this.file.copy(out, filled, start + PAGE_HEADER, start + PAGE_HEADER + used);
      filled += used;
      pgno = this.u32(start + 16);
    }
    return out;
  }
}

/** The header blobs of a BerkeleyDB `Packages` database (values shorter than a header are rpm's own counters). */
export function bdbHeaderBlobs(file: Buffer, name: string): Buffer[] {
  return [...new HashDb(file, name).values()].filter((value) => value.length >= 8);
}

export const rpmBdbAnalyzer: Analyzer = {
  name: 'rpm-bdb',
  wants: (path) => PACKAGES.test(path),
  analyze: (file, context) => rpmPackages(bdbHeaderBlobs(file.content, file.path), file.path, context),
};
