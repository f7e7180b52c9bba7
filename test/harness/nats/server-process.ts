import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, openSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Every server child still running, killed if the test process exits without stopping it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** An executable on PATH or in the sbin folders Debian installs servers to, or a loud error saying how to get it. */
export function findBinary(name: string, install: string): string {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const folder of folders.filter(Boolean)) {
    const path = join(folder, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not installed (looked on PATH and in /usr/sbin): ${install}`);
}

export interface ServerProcess {
  child: ChildProcess;
  /** The server's own output so far, for error messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts a server with its output going to `logFile`; `stop()` ends it (SIGTERM, then SIGKILL after 5 s). */
export function startProcess(command: string, args: string[], logFile: string): ServerProcess {
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out] });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return {
    child,
    log: () => {
      try {
        return readFileSync(logFile, 'utf8').slice(-2000);
      } catch {
        return '';
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `ready` until it says yes; fails with the server's output if it exits or the time runs out. */
export async function waitUntilReady(
  name: string,
  server: ServerProcess,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { exitCode, signalCode } = server.child;
    if (exitCode !== null || signalCode !== null)
      throw new Error(`${name} exited (${exitCode ?? signalCode}) before it was ready:\n${server.log()}`);
    if (await ready()) return;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${server.log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
