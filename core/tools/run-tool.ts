import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecureExecutor } from '../exec/executor.js';
import type { ToolAdapter, ToolInputs, ToolOutput, ToolTarget } from './tool-adapter.js';

export interface RunToolOptions {
  executor: SecureExecutor;
  /** User data for the adapters (YARA rules, ClamAV signatures, test subsets); the scratch dir is made here. */
  inputs?: Omit<ToolInputs, 'scratch'>;
  now?: Date;
  signal?: AbortSignal;
  /** Where scratch directories are made (default the system temp dir); each run's is private (0700). */
  scratchParent?: string;
}

/**
 * Runs one adapter against one target through the executor, in a private scratch directory removed
 * afterwards. A tool that cannot run (refused, not installed, bad input) gives no findings and a
 * problem naming the tool: the rest of the scan goes on.
 */
export async function runTool(
  adapter: ToolAdapter,
  target: ToolTarget,
  options: RunToolOptions,
): Promise<ToolOutput> {
  const scratch = await mkdtemp(join(options.scratchParent ?? tmpdir(), `seco-${adapter.name}-`));
  const inputs: ToolInputs = { ...options.inputs, scratch };
  try {
    if (adapter.place !== target.place)
      throw new Error(`runs on ${adapter.place} targets, not ${target.place}`);
    const commands = await adapter.commands(target as never, inputs);
    const results = [];
    for (const command of commands) {
      options.signal?.throwIfAborted();
      results.push(
        await options.executor.run({
          tool: adapter.binary.name,
          ...command,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      );
    }
    return await adapter.parse(results, target as never, inputs, options.now ?? new Date());
  } catch (error) {
    return { findings: [], raw: [], problems: [`${adapter.name}: ${(error as Error).message}`] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
