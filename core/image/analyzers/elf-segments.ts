/** How an ELF file maps virtual addresses to file bytes: its PT_LOAD segments, and its byte order. */
export interface ElfImage {
  bigEndian: boolean;
  /** The file bytes at virtual address `address`, `length` long, or undefined if no segment holds them. */
  bytesAt(address: bigint, length: number): Buffer | undefined;
}

const PT_LOAD = 1;
const MAX_SEGMENTS = 4096;

/**
 * Reads an ELF header and its program headers (System V ABI, "ELF Header" and "Program Header"):
 * ELFCLASS32/64, either byte order. Undefined when the bytes are not an ELF file or its program header
 * table lies outside them.
 */
export function readElf(file: Buffer): ElfImage | undefined {
  if (file.length < 52 || file.subarray(0, 4).toString('latin1') !== '\x7fELF') return undefined;
  const is64 = file[4] === 2;
  const bigEndian = file[5] === 2;
  const u16 = (at: number) => (bigEndian ? file.readUInt16BE(at) : file.readUInt16LE(at));
  const u32 = (at: number) => BigInt(bigEndian ? file.readUInt32BE(at) : file.readUInt32LE(at));
  const u64 = (at: number) => (bigEndian ? file.readBigUInt64BE(at) : file.readBigUInt64LE(at));
  const word = is64 ? u64 : u32;
  if (is64 && file.length < 64) return undefined;
  const phoff = Number(word(is64 ? 32 : 28));
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  if (phnum > MAX_SEGMENTS || phentsize < (is64 ? 56 : 32) || phoff + phnum * phentsize > file.length)
    return undefined;
  const segments: Array<{ vaddr: bigint; offset: bigint; filesz: bigint }> = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (Number(u32(at)) !== PT_LOAD) continue;
    segments.push(
      is64
        ? { offset: u64(at + 8), vaddr: u64(at + 16), filesz: u64(at + 32) }
        : { offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16) },
    );
  }
  return {
    bigEndian,
    bytesAt(address, length) {
      const end = address + BigInt(length);
      const segment = segments.find((s) => address >= s.vaddr && end <= s.vaddr + s.filesz);
      if (!segment) return undefined;
      const start = segment.offset + (address - segment.vaddr);
      if (start + BigInt(length) > BigInt(file.length)) return undefined;
      return file.subarray(Number(start), Number(start) + length);
    },
  };
}
