import { z } from 'zod';
import { TOOL_ADAPTERS } from '../tools/registry.js';
import type { ToolPlace } from '../tools/tool-adapter.js';

/** seco's own scanners, and `tools`: every third-party tool adapter that applies. */
export const BUILTIN_SCANNERS = ['config', 'image', 'host', 'runtime', 'tools'] as const;

/**
 * What `--scanners` (and `scanners` in every API) may name: seco's own scanners, `tools`, or a tool
 * adapter by its name (`lynis`, `clamav`, `nmap`): `config,image,lynis` runs those three only.
 */
export const SCANNER_NAMES: readonly string[] = [...BUILTIN_SCANNERS, ...TOOL_ADAPTERS.map((a) => a.name)];

export const ScannerName = z.enum(SCANNER_NAMES as [string, ...string[]]);
export type ScannerName = z.infer<typeof ScannerName>;

/** The tool adapters a scanner list asks for at `place`: all of them with `tools`, else the ones it names. */
export function toolsWanted(scanners: readonly string[], place: ToolPlace): string[] {
  const all = scanners.includes('tools');
  return TOOL_ADAPTERS.filter((a) => a.place === place && (all || scanners.includes(a.name))).map(
    (a) => a.name,
  );
}
