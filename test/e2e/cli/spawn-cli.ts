import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

export interface StreamingCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first complete stdout line that `match` accepts. */
  nextLine(match: (line: string) => boolean, ms?: number): Promise<string>;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once it exits by itself, or undefined after `ms`. */
  exitWithin(ms: number): Promise<number | string | undefined>;
  /** Sends `signal` and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs the built CLI as a long-lived process (watch), reading its stdout line by line as it comes. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): StreamingCli {
  const child = spawn(process.execPath, ['bin/kubectl-seco.js', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => {
    const parts = (partial + data.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push(line);
    for (const wake of [...waiters]) wake();
  });
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stderr: () => stderr,
    nextLine(match, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching line within ${ms} ms; stdout: ${lines.join('\n')}; stderr: ${stderr}`),
          );
        }, ms);
        const check = () => {
          const found = lines.find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      });
    },
    exitWithin(ms) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      });
      return Promise.race([exited, late]).finally(() => clearTimeout(timer));
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
