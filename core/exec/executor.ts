import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AuditRecord, AuditSink } from './audit-log.js';
import { checkedEnvironment, ExecDenied } from './exec-request.js';
import { SafeArg } from './safe-arg.js';
import { type AllowedTool, BinaryRefused, checkBinary } from './tool-binary.js';

export interface ExecRequest {
  /** An allowlisted tool's name. */
  tool: string;
  /** Built by the adapter from validated values (safe-arg.ts); anything else is refused. */
  args: readonly SafeArg[];
  /** The whole environment of the run: nothing is inherited. Names `[A-Z_][A-Z0-9_]*`. */
  env?: Readonly<Record<string, string>>;
  /** Working directory (default `/`). */
  cwd?: string;
  timeoutMs?: number;
  maxStdoutBytes?: number;
  maxStderrBytes?: number;
  /** Stops the run as the timeout does (the job's own deadline). */
  signal?: AbortSignal;
}

export interface ExecResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  durationMs: number;
  /** Why the executor stopped the run before it ended by itself. */
  stopped?: 'timeout' | 'aborted' | 'stdout-limit' | 'stderr-limit';
  /** The checked binary's sha256 (what ran). */
  sha256: string;
}

export interface ExecutorOptions {
  tools: readonly AllowedTool[];
  audit: AuditSink;
  defaultTimeoutMs?: number;
  defaultMaxOutputBytes?: number;
  /** How long a timed-out process group has between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

/**
 * The one way seco runs a third-party program. Only allowlisted tools, re-checked before every run
 * (tool-binary.ts); `spawn` without a shell, arguments only as validated SafeArgs, an empty
 * environment plus what the request names, in a process group of its own so a timeout, an abort or
 * an output flood kills every process the tool forked. Every approval, denial, start and end is
 * audited with its duration and exit status.
 */
export class SecureExecutor {
  private readonly tools: Map<string, AllowedTool>;

  constructor(private readonly options: ExecutorOptions) {
    this.tools = new Map(options.tools.map((t) => [t.name, t]));
  }

  /** The allowlisted tools whose binary passes the checks now. */
  allowed(name: string): AllowedTool | undefined {
    return this.tools.get(name);
  }

  async run(request: ExecRequest): Promise<ExecResult> {
    const run = randomUUID();
    const audit = (record: Omit<AuditRecord, 'time' | 'run' | 'tool'>) =>
      this.options.audit({ time: new Date().toISOString(), run, tool: request.tool, ...record });
    const tool = this.tools.get(request.tool);
    const deny = (reason: string): never => {
      audit({ event: 'denied', reason, ...(tool ? { path: tool.path } : {}) });
      throw new ExecDenied(request.tool, reason);
    };
    if (!tool) return deny('not an allowlisted tool');
    if (!request.args.every((arg) => arg instanceof SafeArg))
      return deny('an argument was not built by a validator (core/exec/safe-arg.ts)');
    const args = request.args.map((arg) => arg.value);
    let env: Record<string, string> = {};
    try {
      env = checkedEnvironment(request.env ?? {});
    } catch (error) {
      deny((error as Error).message);
    }
    let sha256 = '';
    try {
      sha256 = (await checkBinary(tool)).sha256;
    } catch (error) {
      deny(
        error instanceof BinaryRefused
          ? error.message
          : `cannot check ${tool.path}: ${(error as Error).message}`,
      );
    }
    audit({ event: 'approved', path: tool.path, args, sha256 });
    return this.spawnChecked(tool, args, env, sha256, request, audit);
  }

  private spawnChecked(
    tool: AllowedTool,
    args: string[],
    env: Record<string, string>,
    sha256: string,
    request: ExecRequest,
    audit: (record: Omit<AuditRecord, 'time' | 'run' | 'tool'>) => void,
  ): Promise<ExecResult> {
    const started = performance.now();
    const limits = {
      stdout: request.maxStdoutBytes ?? this.options.defaultMaxOutputBytes ?? 16 * 1024 * 1024,
      stderr: request.maxStderrBytes ?? 1024 * 1024,
    };
    // detached: the child calls setsid(), leading a new process group that can be killed as a whole.
    const child = spawn(tool.path, args, {
      shell: false,
      env,
      cwd: request.cwd ?? '/',
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stopped: ExecResult['stopped'];
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const stop = (why: NonNullable<ExecResult['stopped']>) => {
      if (stopped) return;
      stopped = why;
      if (why === 'timeout' || why === 'aborted') {
        killGroup('SIGTERM');
        grace = setTimeout(() => killGroup('SIGKILL'), this.options.killGraceMs ?? 1000);
      } else killGroup('SIGKILL');
    };
    const output = { stdout: [] as Buffer[], stderr: [] as Buffer[], stdoutBytes: 0, stderrBytes: 0 };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const key = `${stream}Bytes` as const;
      const room = limits[stream] - output[key];
      output[key] += chunk.length;
      if (room > 0) output[stream].push(room >= chunk.length ? chunk : chunk.subarray(0, room));
      if (output[key] > limits[stream]) stop(`${stream}-limit`);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const timer = setTimeout(
      () => stop('timeout'),
      request.timeoutMs ?? this.options.defaultTimeoutMs ?? 300_000,
    );
    const onAbort = () => stop('aborted');
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    return new Promise((resolve, reject) => {
      child.once('error', (error) => {
        clearTimeout(timer);
        audit({
          event: 'ended',
          path: tool.path,
          reason: error.message,
          durationMs: Math.round(performance.now() - started),
        });
        reject(error);
      });
      child.once('spawn', () => audit({ event: 'started', path: tool.path, pid: child.pid }));
      child.once('exit', (exitCode, signal) => {
        // What the tool forked and left behind dies with it: nothing outlives the run.
        killGroup('SIGKILL');
        clearTimeout(timer);
        if (grace) clearTimeout(grace);
        request.signal?.removeEventListener('abort', onAbort);
        // A descendant that left the group could still hold the pipes: do not wait for it.
        const closed = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
        }, 500);
        let open = 2;
        const done = () => {
          if (--open > 0) return;
          clearTimeout(closed);
          const durationMs = Math.round(performance.now() - started);
          audit({
            event: 'ended',
            path: tool.path,
            pid: child.pid,
            durationMs,
            exitCode,
            signal,
            ...(stopped ? { stopped } : {}),
            stdoutBytes: output.stdoutBytes,
            stderrBytes: output.stderrBytes,
          });
          resolve({
            exitCode,
            signal,
            stdout: Buffer.concat(output.stdout),
            stderr: Buffer.concat(output.stderr),
            durationMs,
            ...(stopped ? { stopped } : {}),
            sha256,
          });
        };
        for (const stream of [child.stdout, child.stderr])
          if (stream.closed || stream.destroyed) done();
          else stream.once('close', done);
      });
    });
  }
}
