import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A C helper compiled static, so it runs in the harness's busybox containers (no libc there) and does exactly
 * the syscalls it is written for: the fileless exec, the escape attempts, the benchmark's load generator.
 */
export async function compileStatic(source: string, output: string): Promise<string> {
  await run('gcc', ['-static', '-O2', '-o', output, source]);
  return output;
}
