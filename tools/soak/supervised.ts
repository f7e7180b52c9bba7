import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A seco process the soak kills and starts again (as Kubernetes restarts a pod): `start` waits for its
 * ready line on stdout or stderr; an exit the soak did not cause is counted and it is started again.
 */
export class Supervised {
  private child?: ChildProcess;
  private killing = false;
  unexpectedExits = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly args: string[],
    private readonly ready: RegExp,
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [this.script, ...this.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.killing = false;
    child.once('exit', (code, signal) => {
      if (this.killing || this.child !== child) return;
      this.unexpectedExits++;
      this.log(`${this.name} exited on its own (${code ?? signal})`);
    });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const look = (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-4000);
        if (this.ready.test(seen)) resolve();
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', (code) =>
        reject(new Error(`${this.name} exited (${code}) before it was ready: ${seen}`)),
      );
    });
  }

  /** SIGKILL: no graceful hand-over, as a crash or an OOM kill. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts it again if it exited on its own since. */
  async ensureRunning(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) return;
    await this.start();
  }
}
