import { execFile } from 'node:child_process';

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
