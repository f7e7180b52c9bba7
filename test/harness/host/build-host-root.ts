import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

interface Layout {
  modes?: Record<string, { mode: string; owner?: number; group?: number }>;
  processes?: Array<{ pid: number; argv: string[] }>;
  sysctls?: Record<string, string>;
}

export interface BuiltHostRoot {
  hostRoot: string;
  procRoot: string;
  remove(): void;
}

/**
 * Lays out a fixture node (`test/fixtures/host/<name>/root`) in a temp dir the way an agent sees its
 * node: files with the modes and owners of `layout.yaml` (git keeps neither), a `proc/` with the
 * listed processes' cmdlines and the live sysctls under `proc/sys`.
 */
export function buildHostRoot(fixture: string): BuiltHostRoot {
  const source = join('test/fixtures/host', fixture);
  const base = mkdtempSync(join(tmpdir(), `seco-host-${fixture}-`));
  const hostRoot = join(base, 'root');
  cpSync(join(source, 'root'), hostRoot, { recursive: true, verbatimSymlinks: true });
  const layout = parse(readFileSync(join(source, 'layout.yaml'), 'utf8')) as Layout;
  for (const [path, spec] of Object.entries(layout.modes ?? {})) {
    const file = join(hostRoot, path);
    chmodSync(file, Number.parseInt(spec.mode, 8));
    chownSync(file, spec.owner ?? 0, spec.group ?? 0);
  }
  const procRoot = join(hostRoot, 'proc');
  mkdirSync(procRoot, { recursive: true });
  for (const process of layout.processes ?? []) {
    mkdirSync(join(procRoot, String(process.pid)), { recursive: true });
    writeFileSync(join(procRoot, String(process.pid), 'cmdline'), `${process.argv.join('\0')}\0`);
  }
  for (const [name, value] of Object.entries(layout.sysctls ?? {})) {
    const file = join(procRoot, 'sys', ...name.split('.'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${value}\n`);
  }
  return { hostRoot, procRoot, remove: () => rmSync(base, { recursive: true, force: true }) };
}
