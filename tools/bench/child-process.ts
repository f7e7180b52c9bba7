import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildProcess {
  /** What the ready line matched (the aggregator's port). */
  ready: RegExpExecArray;
  /** User + system CPU the process has used so far. */
  cpuSeconds(): number;
  /** The process's peak resident set so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/** A node script as a child process of its own; resolves when its stdout prints a line matching `ready`. */
export async function startProcess(script: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    // SECO_BENCH_NODE_ARGS="--cpu-prof" profiles the child processes.
    [...(process.env.SECO_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), script, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  const clockTicks = 100; // USER_HZ
  return {
    ready: match,
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / clockTicks;
    },
    peakRssMiB() {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return Number(hwm?.[1] ?? 0) / 1024;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
