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
});
