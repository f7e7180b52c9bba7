import { execFileSync } from 'node:child_process';

/** Fails with a clear message when a tool the tests drive is missing (CI installs them; nothing is skipped). */
export function requireTool(tool: string, debianPackage: string): void {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: these tests need it (apt-get install -y ${debianPackage})`);
  }
}
