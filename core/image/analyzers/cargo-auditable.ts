import { inflateSync } from 'node:zlib';
import type { Analyzer, ImagePackage } from '../package.js';
import { cratePackage } from './cargo-lock.js';
import { elfSection } from './elf-sections.js';

/**
 * Rust binaries built with cargo-auditable carry their dependency tree in an ELF section `.dep-v0`:
 * zlib-compressed JSON, `{"packages": [{name, version, source, kind?, dependencies?, root?}]}`
 * (github.com/rust-secure-code/cargo-auditable, the "auditable-serde" format). The section is taken out
 * as the file streams by (`reduce`), so only its few KiB are kept.
 */
const SECTION = '.dep-v0';
const MAX_EXECUTABLE = 256 * 1024 * 1024;
const MAX_SECTION = 8 * 1024 * 1024;
/** Inflated JSON cap: a hostile section cannot be a decompression bomb. */
const MAX_JSON = 64 * 1024 * 1024;

interface AuditedPackage {
  name?: unknown;
  version?: unknown;
  source?: unknown;
  kind?: unknown;
  root?: unknown;
}

export const cargoAuditableAnalyzer: Analyzer = {
  name: 'cargo-auditable',
  maxFileBytes: MAX_EXECUTABLE,
  wants: (_path, size, mode) =>
    mode !== undefined && (mode & 0o111) !== 0 && size > 1024 && size < MAX_EXECUTABLE,
  reduce(content) {
    const section = elfSection(content, SECTION);
    return section && section.length <= MAX_SECTION ? Buffer.from(section) : undefined;
  },
  analyze(file) {
    let tree: unknown;
    try {
      tree = JSON.parse(inflateSync(file.content, { maxOutputLength: MAX_JSON }).toString('utf8'));
    } catch (error) {
      throw new Error(`${file.path}: unreadable ${SECTION} section (${(error as Error).message})`);
    }
    const packages = (tree as { packages?: unknown } | null)?.packages;
    if (!Array.isArray(packages)) throw new Error(`${file.path}: ${SECTION} section has no packages list`);
    return packages.flatMap((raw: AuditedPackage): ImagePackage[] => {
      if (typeof raw?.name !== 'string' || typeof raw.version !== 'string') return [];
      // Build-only crates (build scripts, proc macros) are not linked into the binary.
      if (raw.kind === 'build') return [];
      const crate = cratePackage(raw.name, raw.version, file.path);
      if (raw.root === true || raw.source === 'local') return [{ ...crate, role: 'application' }];
      return raw.source === 'crates.io' ? [crate] : [];
    });
  },
};
