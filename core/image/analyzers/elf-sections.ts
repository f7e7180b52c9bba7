/** Largest section count read from a section header table (hostile files may claim 65,535). */
const MAX_SECTIONS = 4096;

/**
 * The bytes of the ELF section named `name` (System V ABI, "Sections": the section header table, and the
 * section-name string table at index e_shstrndx), or undefined when the file is not ELF, has no such
 * section, or its tables lie outside the bytes. ELFCLASS32/64, either byte order.
 */
export function elfSection(file: Buffer, name: string): Buffer | undefined {
  if (file.length < 52 || file.subarray(0, 4).toString('latin1') !== '\x7fELF') return undefined;
  const is64 = file[4] === 2;
  const bigEndian = file[5] === 2;
  if (is64 && file.length < 64) return undefined;
  const u16 = (at: number) => (bigEndian ? file.readUInt16BE(at) : file.readUInt16LE(at));
  const u32 = (at: number) => (bigEndian ? file.readUInt32BE(at) : file.readUInt32LE(at));
  const word = (at: number) =>
    is64 ? Number(bigEndian ? file.readBigUInt64BE(at) : file.readBigUInt64LE(at)) : u32(at);
  const shoff = word(is64 ? 40 : 32);
  const shentsize = u16(is64 ? 58 : 46);
  const shnum = u16(is64 ? 60 : 48);
  const shstrndx = u16(is64 ? 62 : 50);
  if (shnum === 0 || shnum > MAX_SECTIONS || shstrndx >= shnum || shentsize < (is64 ? 64 : 40))
    return undefined;
  if (shoff + shnum * shentsize > file.length) return undefined;
  const header = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      name: u32(at),
      offset: word(at + (is64 ? 24 : 16)),
      size: word(at + (is64 ? 32 : 20)),
    };
  };
  const names = header(shstrndx);
  if (names.offset + names.size > file.length) return undefined;
  const wanted = Buffer.from(`${name}\0`, 'latin1');
  for (let i = 0; i < shnum; i++) {
    const section = header(i);
    const at = names.offset + section.name;
    if (at + wanted.length > names.offset + names.size) continue;
    if (!file.subarray(at, at + wanted.length).equals(wanted)) continue;
    if (section.offset + section.size > file.length) return undefined;
    return file.subarray(section.offset, section.offset + section.size);
  }
  return undefined;
}
