import { execFile, spawn } from 'node:child_process';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl (never through a shell) against a kubeconfig; resolves with its exit code. */
export function kubectl(kubeconfig: string, args: string[], timeoutMs = 15_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A kubectl left running (`get -w`): what it printed so far, a wait for a line, and a stop. */
export interface RunningKubectl {
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout matches `pattern` (polled), rejects after `timeoutMs` with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends it (SIGTERM to this child only) and resolves when it has exited. */
  stop(): Promise<void>;
}

export function kubectlRunning(kubeconfig: string, args: string[]): RunningKubectl {
  const child = spawn('/usr/bin/kubectl', ['--kubeconfig', kubeconfig, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    output: () => ({ stdout, stderr }),
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stdout)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`kubectl ${args.join(' ')}: no ${pattern} in\n${stdout}\nstderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return stdout;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
