import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { auditToFile } from '../../core/exec/audit-log.js';
import { SecureExecutor } from '../../core/exec/executor.js';
import type { InputProblem } from '../../core/model/index.js';
import { toolsWanted } from '../../core/protocol/scanner-names.js';
import { installedTools } from '../../core/tools/installed-tools.js';
import { adapterNamed, adaptersFor, TOOL_ADAPTERS } from '../../core/tools/registry.js';
import { runTool } from '../../core/tools/run-tool.js';
import type { ToolInputs, ToolOutput, ToolPlace, ToolTarget } from '../../core/tools/tool-adapter.js';
import { closest } from '../cli/did-you-mean.js';
import { parseScanners } from '../cluster/run-cluster-scan.js';

/** Where local runs append their audit records unless --tools-audit says otherwise. */
export function defaultAuditFile(): string {
  const state = process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'seco', 'tools-audit.jsonl');
}

/** `--tools a,b`: the names, validated against the adapters for `place` (an unknown name throws). */
export function parseToolList(value: string, place: ToolPlace): string[] {
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const known = TOOL_ADAPTERS.map((a) => a.name);
  for (const name of names)
    if (!known.includes(name)) {
      const [suggestion] = closest(name, known);
      throw new Error(
        `unknown tool ${JSON.stringify(name)}${suggestion ? `: did you mean ${suggestion}?` : ''} (tools: ${known.join(', ')})`,
      );
    }
  adaptersFor(place, names);
  return names;
}

/** What a local scan runs: seco's own scanner for the place, and which tools. */
export interface LocalChoice {
  own: boolean;
  tools: string[];
}

/**
 * `scan host|image --scanners host,lynis` / `--tools lynis`: seco's own scanner runs unless --scanners
 * leaves it out; the tools are those --tools names plus those --scanners names (`tools` = all that apply
 * to the place). A name for another place (`nmap` on `scan image`) is refused, naming where it runs.
 */
export function localChoice(
  scanners: string | undefined,
  tools: string | undefined,
  place: 'host' | 'image',
): LocalChoice {
  const named = parseScanners(scanners);
  const fromTools = tools ? parseToolList(tools, place) : [];
  if (!named) return { own: true, tools: fromTools };
  for (const name of named)
    if (name !== place && name !== 'tools' && adapterNamed(name)?.place !== place)
      throw new Error(
        `--scanners ${name}: ${adapterNamed(name) ? `runs on ${adapterNamed(name)!.place} targets` : 'a cluster scanner'}, not in scan ${place}`,
      );
  return { own: named.includes(place), tools: [...new Set([...fromTools, ...toolsWanted(named, place)])] };
}

/**
 * Runs the named tools on this machine, each through the secure executor over the binaries installed
 * here (Debian's paths), every approval/denial/start/end appended to `auditFile`. A tool that cannot
 * run is an error in the report (the scan is incomplete), never a silent pass.
 */
export async function runLocalTools(
  names: readonly string[],
  target: ToolTarget,
  inputs: Omit<ToolInputs, 'scratch'>,
  auditFile: string,
  now: Date,
): Promise<{ outputs: ToolOutput[]; problems: InputProblem[] }> {
  const adapters = adaptersFor(target.place, names);
  mkdirSync(dirname(auditFile), { recursive: true, mode: 0o700 });
  const executor = new SecureExecutor({
    tools: await installedTools(adapters),
    audit: auditToFile(auditFile),
  });
  const outputs: ToolOutput[] = [];
  const problems: InputProblem[] = [];
  for (const adapter of adapters) {
    if (!executor.allowed(adapter.binary.name)) {
      problems.push({
        kind: 'error',
        source: `tool ${adapter.name}`,
        message: `${adapter.binary.name} is not installed (looked in ${adapter.binary.paths.join(', ')})`,
      });
      continue;
    }
    const output = await runTool(adapter, target, { executor, inputs, now });
    outputs.push(output);
    for (const message of output.problems)
      problems.push({ kind: 'error', source: `tool ${adapter.name}`, message });
  }
  return { outputs, problems };
}
