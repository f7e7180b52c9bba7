import type { Analyzer } from '../package.js';
import { rpmPackages } from './rpm.js';

// rpm's own "ndb" backend (SUSE/openSUSE since 2020, before their move to SQLite):
// usr/lib/sysimage/rpm/Packages.db (var/lib/rpm is a symlink to it on those systems).
const PACKAGES = /^(usr\/lib\/sysimage\/rpm|var\/lib\/rpm)\/Packages\.db$/;

// lib/backend/ndb/rpmpkg.c: all integers little-endian; a 32-byte file header, then slot pages of
// 16-byte slots ("Slot", pkgidx, blkoff, blkcnt), then blobs in 16-byte blocks, each framed by a head
// ("BlbS", pkgidx, generation, bloblen) and a tail (adler32, bloblen, "BlbE").
const MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_HEAD_MAGIC = 0x53626c42; // 'BlbS'
const BLOB_TAIL_MAGIC = 0x45626c42; // 'BlbE'
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const PAGE_SIZE = 4096;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;
const MAX_SLOT_PAGES = 2048; // rpmpkg.c PKGDB_MAX_SLOTNPAGES

/** The header blobs of an NDB `Packages.db`, each slot's blob checked as rpm's rpmpkgReadBlob checks it. */
export function ndbHeaderBlobs(file: Buffer, name: string): Buffer[] {
  const fail = (offset: number, why: string) => new Error(`${name} at byte ${offset}: ${why}`);
  if (file.length < HEADER_SIZE) throw fail(0, `${file.length} bytes is too short for an rpm ndb database`);
  if (file.readUInt32LE(0) !== MAGIC) throw fail(0, 'not an rpm ndb database (bad magic)');
  if (file.readUInt32LE(4) !== 0) throw fail(4, `unknown ndb version ${file.readUInt32LE(4)}`);
  const slotPages = file.readUInt32LE(12);
  if (slotPages === 0 || slotPages > MAX_SLOT_PAGES || slotPages * PAGE_SIZE > file.length)
    throw fail(12, `${slotPages} slot pages do not fit the file (truncated?)`);
  const firstBlobBlock = (slotPages * PAGE_SIZE) / BLK_SIZE;
  const fileBlocks = Math.floor(file.length / BLK_SIZE);
  const blobs: Buffer[] = [];
  for (let at = HEADER_SIZE; at < slotPages * PAGE_SIZE; at += SLOT_SIZE) {
    if (file.readUInt32LE(at) !== SLOT_MAGIC) throw fail(at, 'bad slot magic');
    const pkgidx = file.readUInt32LE(at + 4);
    if (pkgidx === 0) continue; // an empty slot
    const blkoff = file.readUInt32LE(at + 8);
    const blkcnt = file.readUInt32LE(at + 12);
    if (blkoff < firstBlobBlock || blkoff + blkcnt > fileBlocks || blkcnt * BLK_SIZE < BLOB_HEAD + BLOB_TAIL)
      throw fail(at, `slot of package ${pkgidx} points outside the blob area`);
    const start = blkoff * BLK_SIZE;
    const end = start + blkcnt * BLK_SIZE;
    const length = file.readUInt32LE(start + 12);
    if (file.readUInt32LE(start) !== BLOB_HEAD_MAGIC || file.readUInt32LE(start + 4) !== pkgidx)
      throw fail(start, `blob of package ${pkgidx} has a bad head`);
    if (Math.ceil((BLOB_HEAD + length + BLOB_TAIL) / BLK_SIZE) !== blkcnt)
      throw fail(start + 12, `blob of package ${pkgidx} claims ${length} bytes, not what its slot holds`);
    if (file.readUInt32LE(end - 8) !== length || file.readUInt32LE(end - 4) !== BLOB_TAIL_MAGIC)
      throw fail(end - BLOB_TAIL, `blob of package ${pkgidx} has a bad tail`);
    blobs.push(file.subarray(start + BLOB_HEAD, start + BLOB_HEAD + length));
  }
  return blobs;
}

export const rpmNdbAnalyzer: Analyzer = {
  name: 'rpm-ndb',
  wants: (path) => PACKAGES.test(path),
  analyze: (file, context) => rpmPackages(ndbHeaderBlobs(file.content, file.path), file.path, context),
};
