import type { Analyzer, ImagePackage } from '../package.js';
import { readElf } from './elf-segments.js';

// Go binaries embed build info in .go.buildinfo: a 16-byte-aligned header starting with this magic, then
// pointer size and flags. Go ≥ 1.18 (flag bit 2) puts the Go version and module info inline after the
// 32-byte header as varint-length-prefixed strings; Go 1.13–1.17 put two pointers there instead, to the
// Go string headers of runtime.buildVersion and runtime.modinfo (debug/buildinfo readRawBuildInfo).
const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
const INLINE_STRINGS = 0x2;
const BIG_ENDIAN = 0x1;
const MAX_STRING = 4 * 1024 * 1024;
const MAX_EXECUTABLE = 256 * 1024 * 1024;

function readVarint(buf: Buffer, offset: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = offset; i < Math.min(buf.length, offset + 10); i++) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

function readString(buf: Buffer, offset: number): [string, number] | undefined {
  const length = readVarint(buf, offset);
  if (!length || length[1] + length[0] > buf.length) return undefined;
  return [buf.toString('utf8', length[1], length[1] + length[0]), length[1] + length[0]];
}

/** The Go version and module info strings of a binary, or undefined when it has none we can read. */
export function readBuildInfo(binary: Buffer): { goVersion: string; modInfo: string } | undefined {
  for (let at = binary.indexOf(MAGIC); at >= 0; at = binary.indexOf(MAGIC, at + 1)) {
    if (at % 16 !== 0 || at + HEADER > binary.length) continue;
    const flags = binary[at + 15]!;
    if ((flags & INLINE_STRINGS) === 0)
      return pointerBuildInfo(binary, at, binary[at + 14]!, (flags & BIG_ENDIAN) !== 0);
    const version = readString(binary, at + HEADER);
    if (!version) return undefined;
    const mod = readString(binary, version[1]);
    if (!mod) return undefined;
    // modinfo is wrapped in 16-byte sentinels.
    const modInfo = mod[0].length >= 33 ? mod[0].slice(16, -16) : '';
    return { goVersion: version[0], modInfo };
  }
  return undefined;
}

/**
 * Go 1.13–1.17: the header holds, after the 16 magic+size+flags bytes, the addresses of two Go string
 * headers ({data pointer, length}, each a pointer-sized word in the binary's byte order); both are
 * followed through the ELF program headers from virtual address to file offset.
 */
function pointerBuildInfo(
  binary: Buffer,
  at: number,
  ptrSize: number,
  bigEndian: boolean,
): { goVersion: string; modInfo: string } | undefined {
  if (ptrSize !== 4 && ptrSize !== 8) return undefined;
  const elf = readElf(binary);
  if (!elf) return undefined;
  const word = (bytes: Buffer, offset = 0): bigint =>
    ptrSize === 8
      ? bigEndian
        ? bytes.readBigUInt64BE(offset)
        : bytes.readBigUInt64LE(offset)
      : BigInt(bigEndian ? bytes.readUInt32BE(offset) : bytes.readUInt32LE(offset));
  const goString = (address: bigint): string | undefined => {
    const header = elf.bytesAt(address, 2 * ptrSize);
    if (!header) return undefined;
    const length = word(header, ptrSize);
    if (length > BigInt(MAX_STRING)) return undefined;
    return elf.bytesAt(word(header), Number(length))?.toString('utf8');
  };
  const goVersion = goString(word(binary, at + 16));
  const mod = goString(word(binary, at + 16 + ptrSize));
  if (!goVersion?.startsWith('go')) return undefined;
  // modinfo is wrapped in 16-byte sentinels; a binary built outside module mode has none.
  return { goVersion, modInfo: mod && mod.length >= 33 ? mod.slice(16, -16) : '' };
}

/** The modules a Go binary was built from (`dep` lines, with `=>` replacements), plus the Go standard library. */
export function goModules(info: { goVersion: string; modInfo: string }, path: string): ImagePackage[] {
  const modules = new Map<string, { name: string; version: string }>();
  let last: string | undefined;
  for (const line of info.modInfo.split('\n')) {
    const [kind, name, version] = line.split('\t');
    if ((kind === 'mod' || kind === 'dep') && name && version && version !== '(devel)') {
      modules.set(name, { name, version });
      last = name;
    } else if (kind === '=>' && last && name && version) {
      modules.set(last, { name, version });
    }
  }
  const packages = [...modules.values()].map((m) => ({
    ecosystem: 'Go',
    name: m.name,
    version: m.version,
    purl: `pkg:golang/${m.name.split('/').map(encodeURIComponent).join('/')}@${encodeURIComponent(m.version)}`,
    path,
  }));
  const go = /^go(\d+\.\d+(?:\.\d+)?)/.exec(info.goVersion)?.[1];
  // OSV lists Go toolchain advisories under the `stdlib` package of the Go ecosystem.
  if (go)
    packages.push({ ecosystem: 'Go', name: 'stdlib', version: go, purl: `pkg:golang/stdlib@${go}`, path });
  return packages;
}

export const goBinaryAnalyzer: Analyzer = {
  name: 'go-binary',
  wants: (_path, size, mode) =>
    mode !== undefined && (mode & 0o111) !== 0 && size > 1024 && size < MAX_EXECUTABLE,
  // Executables are large: keep only the build info, so memory holds one binary at a time.
  reduce(content) {
    const info = content.subarray(0, 4).toString('latin1') === '\x7fELF' ? readBuildInfo(content) : undefined;
    return info ? Buffer.from(JSON.stringify(info)) : undefined;
  },
  analyze(file) {
    try {
      return goModules(JSON.parse(file.content.toString('utf8')), file.path);
    } catch {
      return [];
    }
  },
};
