import {
  chmodSync,
  chownSync,
  copyFileSync,
  readFileSync,
  renameSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { ExecDenied } from '../../../core/exec/exec-request.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { dnsLabel, pathUnder, SafeArg } from '../../../core/exec/safe-arg.js';
import { secureToolDir } from '../../harness/exec/secure-dir.js';

const bin = secureToolDir();
const audit = new AuditMemory();
let executor: SecureExecutor;
const tools: Record<string, string> = {};

/** A process that is gone or a zombie waiting for init: it runs no more. */
function gone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

const lastRecords = (tool: string) => audit.records.filter((r) => r.tool === tool);

beforeAll(() => {
  tools.args = bin.script('args', 'for a in "$@"; do printf "%s\\n" "$a"; done');
  // The real env binary, not a script: a shell would add PWD of its own.
  tools.env = join(bin.dir, 'env');
  copyFileSync('/usr/bin/env', tools.env);
  chmodSync(tools.env, 0o755);
  tools.hang = bin.script('hang', 'echo started; exec /bin/sleep 60');
  tools.fork = bin.script('fork', '/bin/sleep 60 &\necho $!\n/bin/sleep 60 &\necho $!');
  tools.flood = bin.script('flood', 'exec /usr/bin/yes flood');
  tools.writable = bin.script('writable', 'echo hi');
  tools.notroot = bin.script('notroot', 'echo hi');
  tools.swapped = bin.script('swapped', 'echo genuine');
  tools.pinned = bin.script('pinned', 'echo pinned');
  executor = new SecureExecutor({
    tools: [
      ...Object.entries(tools).map(([name, path]) => ({ name, path })),
      { name: 'pinned-wrong', path: tools.pinned!, sha256: '0'.repeat(64) },
      { name: 'relative', path: 'bin/sh' },
    ],
    audit: audit.sink,
    killGraceMs: 200,
  });
});
afterAll(() => bin.remove());

describe('the secure executor', () => {
  test('runs an allowlisted tool with validated arguments passed verbatim, never through a shell', async () => {
    const result = await executor.run({
      tool: 'args',
      args: [SafeArg.literal('-p'), dnsLabel('web'), pathUnder('/scan/a/../b', ['/scan'])],
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toBe('-p\nweb\n/scan/b\n');
    expect(lastRecords('args').map((r) => r.event)).toEqual(['approved', 'started', 'ended']);
    const end = lastRecords('args').at(-1)!;
    expect(end).toMatchObject({ exitCode: 0, signal: null });
    expect(typeof end.durationMs).toBe('number');
    expect(lastRecords('args')[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('refuses a plain string argument: user input cannot reach a command line', async () => {
    await expect(executor.run({ tool: 'args', args: ['; id' as unknown as SafeArg] })).rejects.toThrow(
      ExecDenied,
    );
    expect(lastRecords('args').at(-1)).toMatchObject({
      event: 'denied',
      reason: expect.stringMatching(/validator/),
    });
  });

  test('gives the tool an empty environment plus the explicit list; loader variables are refused', async () => {
    const saved = process.env.SECRET_OF_SECO;
    process.env.SECRET_OF_SECO = 'leak';
    try {
      const result = await executor.run({ tool: 'env', args: [], env: { LANG: 'C' } });
      expect(result.stdout.toString().trim().split('\n').sort()).toEqual(['LANG=C']);
    } finally {
      if (saved === undefined) delete process.env.SECRET_OF_SECO;
    }
    await expect(executor.run({ tool: 'env', args: [], env: { LD_PRELOAD: '/x.so' } })).rejects.toThrow(
      /changes how code is loaded/,
    );
    await expect(executor.run({ tool: 'env', args: [], env: { 'A;B': 'x' } })).rejects.toThrow(
      /environment name/,
    );
    await expect(executor.run({ tool: 'env', args: [], env: { A: 'x\nB=y' } })).rejects.toThrow(/one line/);
    expect(lastRecords('env').filter((r) => r.event === 'denied')).toHaveLength(3);
  });

  test('refuses a tool that is not allowlisted, or allowlisted by a relative path', async () => {
    await expect(executor.run({ tool: 'sh', args: [] })).rejects.toThrow(/not an allowlisted tool/);
    await expect(executor.run({ tool: 'relative', args: [] })).rejects.toThrow(/not an absolute path/);
    expect(lastRecords('sh')).toEqual([expect.objectContaining({ event: 'denied' })]);
  });

  test('refuses a binary writable by others, or not owned by root', async () => {
    chmodSync(tools.writable!, 0o777);
    await expect(executor.run({ tool: 'writable', args: [] })).rejects.toThrow(/writable by group/);
    chmodSync(tools.writable!, 0o757);
    await expect(executor.run({ tool: 'writable', args: [] })).rejects.toThrow(/writable by others/);
    chownSync(tools.notroot!, 1000, 0);
    await expect(executor.run({ tool: 'notroot', args: [] })).rejects.toThrow(/owned by uid 1000/);
    expect(lastRecords('notroot').at(-1)).toMatchObject({ event: 'denied', path: tools.notroot });
  });

  test('refuses a directory above the binary that others may write to', async () => {
    chmodSync(bin.dir, 0o777);
    try {
      await expect(executor.run({ tool: 'args', args: [] })).rejects.toThrow(/directory .* writable/);
    } finally {
      chmodSync(bin.dir, 0o755);
    }
  });

  test('detects a substituted binary (sha256 pin) and a symlink swapped in', async () => {
    await expect(executor.run({ tool: 'pinned-wrong', args: [] })).rejects.toThrow(/is not the pinned/);
    const genuine = await executor.run({ tool: 'swapped', args: [] });
    expect(genuine.stdout.toString()).toBe('genuine\n');
    // An attacker (with write access) replaces the file by a link to another root-owned executable.
    const decoy = join(bin.dir, 'decoy');
    copyFileSync(tools.env!, decoy);
    unlinkSync(tools.swapped!);
    symlinkSync(decoy, tools.swapped!);
    await expect(executor.run({ tool: 'swapped', args: [] })).rejects.toThrow(/symlink/);
    // And by a rename of another file over it: no longer matches the pinned hash of the original.
    unlinkSync(tools.swapped!);
    copyFileSync(decoy, `${tools.swapped}.new`);
    renameSync(`${tools.swapped}.new`, tools.swapped!);
    const pinned = new SecureExecutor({
      tools: [{ name: 'swapped', path: tools.swapped!, sha256: genuine.sha256 }],
      audit: audit.sink,
    });
    await expect(pinned.run({ tool: 'swapped', args: [] })).rejects.toThrow(/is not the pinned/);
    expect(lastRecords('swapped').filter((r) => r.event === 'denied')).toHaveLength(2);
  });

  test('kills a tool that hangs when its timeout passes', async () => {
    const result = await executor.run({ tool: 'hang', args: [], timeoutMs: 300 });
    expect(result.stopped).toBe('timeout');
    expect(result.signal).toBe('SIGTERM');
    expect(result.stdout.toString()).toBe('started\n');
    expect(result.durationMs).toBeLessThan(5000);
    expect(lastRecords('hang').at(-1)).toMatchObject({
      event: 'ended',
      stopped: 'timeout',
      signal: 'SIGTERM',
    });
  });

  test('kills what a tool forked: nothing outlives the run', async () => {
    const result = await executor.run({ tool: 'fork', args: [], timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    const pids = result.stdout.toString().trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) expect(gone(pid)).toBe(true);
  });

  test('stops a tool that floods its output at the cap', async () => {
    const result = await executor.run({ tool: 'flood', args: [], maxStdoutBytes: 64 * 1024 });
    expect(result.stopped).toBe('stdout-limit');
    expect(result.stdout.length).toBe(64 * 1024);
    expect(result.signal).toBe('SIGKILL');
    expect(lastRecords('flood').at(-1)).toMatchObject({ stopped: 'stdout-limit' });
    expect(lastRecords('flood').at(-1)!.stdoutBytes).toBeGreaterThan(64 * 1024);
  });

  test('an abort signal (the job deadline) stops the run like a timeout', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await executor.run({ tool: 'hang', args: [], signal: controller.signal });
    expect(result.stopped).toBe('aborted');
  });
});
