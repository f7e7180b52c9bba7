import { chkrootkit } from './adapters/chkrootkit.js';
import { clamav } from './adapters/clamav.js';
import { lynis } from './adapters/lynis.js';
import { nmap } from './adapters/nmap.js';
import { rkhunter } from './adapters/rkhunter.js';
import { sslscan } from './adapters/sslscan.js';
import { testssl } from './adapters/testssl.js';
import { yara } from './adapters/yara.js';
import type { ToolAdapter, ToolPlace } from './tool-adapter.js';

/** Every tool adapter: one line each (a new tool is one file in adapters/ and one line here). */
export const TOOL_ADAPTERS: readonly ToolAdapter[] = [
  lynis,
  chkrootkit,
  clamav,
  yara,
  nmap,
  sslscan,
  rkhunter,
  testssl,
] as readonly ToolAdapter[];

export function adapterNamed(name: string): ToolAdapter | undefined {
  return TOOL_ADAPTERS.find((a) => a.name === name);
}

/** The adapters for `place` named in `names` (all of them for `place` when names is undefined); unknown names throw. */
export function adaptersFor(place: ToolPlace, names?: readonly string[]): ToolAdapter[] {
  if (!names) return TOOL_ADAPTERS.filter((a) => a.place === place);
  return names.map((name) => {
    const adapter = adapterNamed(name);
    if (!adapter)
      throw new Error(
        `unknown tool "${name}": known tools are ${TOOL_ADAPTERS.map((a) => a.name).join(', ')}`,
      );
    if (adapter.place !== place)
      throw new Error(`tool "${name}" runs on ${adapter.place} targets, not ${place}`);
    return adapter;
  });
}
