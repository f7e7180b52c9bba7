import type { ExecResult } from '../exec/executor.js';
import { SafeArg } from '../exec/safe-arg.js';
import type { Finding } from '../model/index.js';
import type { ToolOutput } from './tool-adapter.js';

/** How a run ended, in words: `exit status 2`, `signal SIGKILL`, `timeout`. */
export function describeRun(result: Pick<ExecResult, 'exitCode' | 'signal' | 'stopped'> | undefined): string {
  if (!result) return 'no run';
  return result.stopped ?? (result.signal ? `signal ${result.signal}` : `exit status ${result.exitCode}`);
}

/** Each run's stdout (and stderr when there was any), named for the object store. */
export function rawOutputs(
  tool: string,
  results: readonly ExecResult[],
): Array<{ name: string; body: Buffer }> {
  return results.flatMap((r, i) => [
    { name: `${tool}-${i}.stdout`, body: r.stdout },
    ...(r.stderr.length > 0 ? [{ name: `${tool}-${i}.stderr`, body: r.stderr }] : []),
  ]);
}

/** How most tools say their version: one flag, a pattern over stdout+stderr (first group, else the match). */
export function versionFlag(flag: string, pattern: RegExp, env: Record<string, string> = {}) {
  return {
    command: { args: [SafeArg.literal(flag)], env, timeoutMs: 30_000 },
    parse: (r: ExecResult) => {
      const m = pattern.exec(`${r.stdout}${r.stderr}`);
      return m ? (m[1] ?? m[0]) : undefined;
    },
  };
}

/**
 * The output of a tool run once: findings from its stdout, its raw output, and a problem when it ended
 * with a status outside `ok` (what the tool documents as "ran, found nothing / found something").
 */
export function singleRunOutput(
  tool: string,
  results: readonly ExecResult[],
  ok: readonly number[],
  findingsOf: (stdout: string) => Finding[],
): ToolOutput {
  const result = results[0];
  const ended = result && result.exitCode !== null && ok.includes(result.exitCode) && !result.stopped;
  const stderr = result?.stderr.toString('utf8').trim().slice(0, 500);
  return {
    findings: result ? findingsOf(result.stdout.toString('utf8')) : [],
    raw: rawOutputs(tool, results),
    problems: ended ? [] : [`${tool} ended with ${describeRun(result)}${stderr ? `: ${stderr}` : ''}`],
  };
}
