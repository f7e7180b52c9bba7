import { stat } from 'node:fs/promises';
import type { SecureExecutor } from '../exec/executor.js';
import type { AllowedTool } from '../exec/tool-binary.js';
import type { ToolAdapter } from './tool-adapter.js';

/**
 * The allowlist for this machine: for each adapter, the first of its binary's known install paths
 * that exists (Debian's). `pins` (tool name → sha256) pin binaries when the operator gives them.
 * Existing is not trusting: the executor checks owner, mode, links and pin before every run.
 */
export async function installedTools(
  adapters: readonly ToolAdapter[],
  pins: Readonly<Record<string, string>> = {},
): Promise<AllowedTool[]> {
  const tools: AllowedTool[] = [];
  for (const adapter of adapters) {
    if (tools.some((t) => t.name === adapter.binary.name)) continue;
    for (const path of adapter.binary.paths) {
      if (
        !(await stat(path).then(
          (s) => s.isFile(),
          () => false,
        ))
      )
        continue;
      const sha256 = pins[adapter.binary.name];
      tools.push({ name: adapter.binary.name, path, ...(sha256 ? { sha256 } : {}) });
      break;
    }
  }
  return tools;
}

export interface ToolAvailability {
  tool: string;
  binary: string;
  place: string;
  path?: string;
  version?: string;
  /** Why it cannot run here (not installed, refused by the executor's checks). */
  problem?: string;
}

/** Each adapter's tool on this machine: its path and version (asked through the executor), or why not. */
export async function toolAvailability(
  adapters: readonly ToolAdapter[],
  executor: SecureExecutor,
): Promise<ToolAvailability[]> {
  const rows: ToolAvailability[] = [];
  for (const adapter of adapters) {
    const row: ToolAvailability = { tool: adapter.name, binary: adapter.binary.name, place: adapter.place };
    const allowed = executor.allowed(adapter.binary.name);
    if (!allowed) {
      rows.push({ ...row, problem: `not installed (looked in ${adapter.binary.paths.join(', ')})` });
      continue;
    }
    try {
      const result = await executor.run({ tool: adapter.binary.name, ...adapter.version.command });
      const version = adapter.version.parse(result);
      rows.push({
        ...row,
        path: allowed.path,
        ...(version ? { version } : { problem: 'version not recognised' }),
      });
    } catch (error) {
      rows.push({ ...row, path: allowed.path, problem: (error as Error).message });
    }
  }
  return rows;
}
