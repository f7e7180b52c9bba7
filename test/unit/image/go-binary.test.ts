import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { goBinaryAnalyzer, goModules, readBuildInfo } from '../../../core/image/analyzers/go-binary.js';

// A buildinfo blob laid out as the Go 1.18+ linker writes it: 16-byte-aligned magic, pointer size, flags
// (inline strings), padding to 32 bytes, then varint-prefixed version and sentinel-wrapped modinfo.
function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function buildInfoBlob(goVersion: string, modInfo: string): Buffer {
  const sentinel = Buffer.alloc(16, 0x30);
  const header = Buffer.concat([
    Buffer.from('\xff Go buildinf:', 'latin1'),
    Buffer.from([8, 2]),
    Buffer.alloc(16),
  ]);
  const mod = Buffer.concat([sentinel, Buffer.from(modInfo), sentinel]);
  const body = Buffer.concat([varint(goVersion.length), Buffer.from(goVersion), varint(mod.length), mod]);
  return Buffer.concat([Buffer.from('\x7fELF', 'latin1'), Buffer.alloc(60), header, body, Buffer.alloc(64)]);
}

describe('Go binary build info', () => {
  it('reads modules, applies replacements and adds the standard library', () => {
    const modInfo = [
      'path\texample.com/app/cmd/app',
      'mod\texample.com/app\t(devel)\t',
      'dep\tgolang.org/x/net\tv0.17.0\th1:abc=',
      'dep\tgithub.com/old/lib\tv1.0.0\th1:def=',
      '=>\tgithub.com/fork/lib\tv1.0.1\th1:ghi=',
      'build\t-trimpath=true',
    ].join('\n');
    const info = readBuildInfo(buildInfoBlob('go1.22.3', modInfo))!;
    expect(info.goVersion).toBe('go1.22.3');
    expect(goModules(info, 'usr/bin/app').map((p) => `${p.name}@${p.version}`)).toEqual([
      'golang.org/x/net@v0.17.0',
      'github.com/fork/lib@v1.0.1',
      'stdlib@1.22.3',
    ]);
  });

  it('reads a real Debian-built Go binary on this machine', () => {
    const info = readBuildInfo(readFileSync('/usr/sbin/runc'))!;
    expect(info.goVersion).toMatch(/^go1\.\d+/);
    expect(goModules(info, 'usr/sbin/runc').some((p) => p.name === 'stdlib')).toBe(true);
  });

  it('keeps only the build info of an executable, and nothing of other files', () => {
    expect(goBinaryAnalyzer.reduce!(Buffer.from('#!/bin/sh\necho hi\n'))).toBeUndefined();
    const reduced = goBinaryAnalyzer.reduce!(buildInfoBlob('go1.21.0', ''))!;
    expect(reduced.length).toBeLessThan(200);
    expect(goBinaryAnalyzer.wants('usr/bin/app', 4096, 0o755)).toBe(true);
    expect(goBinaryAnalyzer.wants('usr/bin/app', 4096, 0o644)).toBe(false);
  });

  it.each([
    ['64-bit little-endian (amd64)', 8, false],
    ['32-bit big-endian (mips)', 4, true],
  ])('reads Go 1.13–1.17 build info through its pointers, %s', (_what, ptrSize, bigEndian) => {
    const modInfo =
      'path\texample.com/old\nmod\texample.com/old\t(devel)\t\ndep\tgolang.org/x/text\tv0.3.5\th1:x=\n';
    const binary = pre118Elf('go1.16.15', modInfo, ptrSize as 4 | 8, bigEndian as boolean);
    const info = readBuildInfo(binary)!;
    expect(info).toEqual({ goVersion: 'go1.16.15', modInfo });
    expect(goModules(info, 'usr/bin/old').map((p) => `${p.name}@${p.version}`)).toEqual([
      'golang.org/x/text@v0.3.5',
      'stdlib@1.16.15',
    ]);
    expect(JSON.parse(goBinaryAnalyzer.reduce!(binary)!.toString()).goVersion).toBe('go1.16.15');
  });

  it('gives up quietly on pre-1.18 pointers that lead outside the file or claim huge strings', () => {
    const binary = pre118Elf('go1.16.15', '', 8, false);
    const dangling = Buffer.from(binary);
    dangling.writeBigUInt64LE(0xdead0000n, BUILDINFO_AT + 16);
    expect(readBuildInfo(dangling)).toBeUndefined();
    const huge = Buffer.from(binary);
    huge.writeBigUInt64LE(0xffffffffffn, STRINGS_AT + 8); // the version string header's length word
    expect(readBuildInfo(huge)).toBeUndefined();
  });
});

// A minimal ELF executable laid out as the Go 1.13–1.17 linker leaves one, written from the specs
// (System V ABI ELF header and one PT_LOAD program header; Go's cmd/link buildinfo: magic, pointer
// size, flags = 1 for big-endian, then the addresses of runtime.buildVersion and runtime.modinfo,
// each a Go string header {data, len}). No Go toolchain older than 1.18 is on this machine; the same
// reader was checked by hand against a real go1.17.2 binary (esbuild 0.13.15 from the npm registry).
const VADDR = 0x400000n;
const BUILDINFO_AT = 0x100;
const STRINGS_AT = 0x140;
function pre118Elf(goVersion: string, modInfo: string, ptrSize: 4 | 8, bigEndian: boolean): Buffer {
  const is64 = ptrSize === 8;
  const file = Buffer.alloc(0x400);
  const u16 = (v: number, at: number) => (bigEndian ? file.writeUInt16BE(v, at) : file.writeUInt16LE(v, at));
  const u32 = (v: number, at: number) => (bigEndian ? file.writeUInt32BE(v, at) : file.writeUInt32LE(v, at));
  const word = (v: bigint, at: number) =>
    is64 ? (bigEndian ? file.writeBigUInt64BE(v, at) : file.writeBigUInt64LE(v, at)) : u32(Number(v), at);
  file.write('\x7fELF', 0, 'latin1');
  file[4] = is64 ? 2 : 1; // EI_CLASS
  file[5] = bigEndian ? 2 : 1; // EI_DATA
  file[6] = 1; // EI_VERSION
  u16(2, 16); // ET_EXEC
  const phoff = is64 ? 64 : 52;
  word(BigInt(phoff), is64 ? 32 : 28);
  u16(is64 ? 56 : 32, is64 ? 54 : 42); // e_phentsize
  u16(1, is64 ? 56 : 44); // e_phnum
  // One PT_LOAD mapping the whole file at VADDR.
  u32(1, phoff);
  if (is64) {
    word(0n, phoff + 8);
    word(VADDR, phoff + 16);
    word(BigInt(file.length), phoff + 32);
  } else {
    u32(0, phoff + 4);
    u32(Number(VADDR), phoff + 8);
    u32(file.length, phoff + 16);
  }
  const sentinel = '0'.repeat(16);
  const mod = modInfo ? `${sentinel}${modInfo}${sentinel}` : '';
  const versionData = STRINGS_AT + 0x40;
  const modData = versionData + 0x20;
  file.write(goVersion, versionData);
  file.write(mod, modData);
  // String headers: {data pointer, length}.
  word(VADDR + BigInt(versionData), STRINGS_AT);
  word(BigInt(goVersion.length), STRINGS_AT + ptrSize);
  word(VADDR + BigInt(modData), STRINGS_AT + 2 * ptrSize);
  word(BigInt(mod.length), STRINGS_AT + 3 * ptrSize);
  file.write('\xff Go buildinf:', BUILDINFO_AT, 'latin1');
  file[BUILDINFO_AT + 14] = ptrSize;
  file[BUILDINFO_AT + 15] = bigEndian ? 1 : 0;
  word(VADDR + BigInt(STRINGS_AT), BUILDINFO_AT + 16);
  word(VADDR + BigInt(STRINGS_AT + 2 * ptrSize), BUILDINFO_AT + 16 + ptrSize);
  return file;
}
