import { describe, expect, test } from '@jest/globals';
import { RuntimeProcess } from '../../../agent/runtime-process.js';
import type { Detection } from '../../../core/runtime/detection.js';
import { loadRuleSet } from '../../../core/runtime/rule-file.js';
import { builtinRuntimeRulesDir } from '../../../core/runtime/rules-dir.js';

const until = async (ok: () => boolean, ms = 30_000) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
};

describe("the agent's runtime watcher process", () => {
  test('is started again, with its counters kept, when it dies', async () => {
    const logs: string[] = [];
    const p = await RuntimeProcess.start({
      node: 'node-1',
      procRoot: '/proc',
      sensor: 'poll',
      rules: await loadRuleSet([builtinRuntimeRulesDir()]),
      onDetection: () => {},
      log: (line) => logs.push(line),
    });
    try {
      expect(p.stats.source).toBe('poll');
      const first = p.pid!;
      process.kill(first, 'SIGKILL');
      await until(() => p.restarts === 1);
      expect(p.restarts).toBe(1);
      expect(p.pid).not.toBe(first);
      expect(logs.some((l) => l.includes('runtime watcher process exited (SIGKILL)'))).toBe(true);
      expect(p.stats.source).toBe('poll');
    } finally {
      p.stop();
    }
  }, 60_000);

  test("a start that fails says why: the watcher's reason, or how its process ended", async () => {
    const start = async (script: string) =>
      RuntimeProcess.start({
        node: 'node-1',
        procRoot: '/proc',
        rules: await loadRuleSet([builtinRuntimeRulesDir()]),
        onDetection: () => {},
        log: () => {},
        command: [process.execPath, '-e', script],
      });
    await expect(
      start(
        `process.stdin.once('data', () => { process.stdout.write(JSON.stringify({ t: 'failed', error: 'eBPF sensor not available: EPERM' }) + '\\n'); process.exit(1); });`,
      ),
    ).rejects.toThrow('eBPF sensor not available: EPERM');
    await expect(start('process.exit(3)')).rejects.toThrow('exited (3) before it was ready');
  }, 60_000);

  test('ignores lines that are not what a watcher says, naming them, and hands on the rest', async () => {
    // A child that says hostile things before and after it is ready (the parent's reading is under test).
    const child = `
      const say = (l) => process.stdout.write(l + '\\n');
      process.stdin.once('data', () => {
        say('not json {');
        say(JSON.stringify({ t: 'detection', detection: { ruleId: 7 } }));
        say(JSON.stringify({ t: 'ready', stats: { source: 'ebpf', fallbacks: [], kernelEvents: 0, execs: 3, vanished: 0, lost: 0, detections: 0 } }));
        say(JSON.stringify({ t: 'detection', detection: { ruleId: 'r', severity: 'high', node: 'node-1', process: { pid: 1, name: 'sh' } } }));
        say(JSON.stringify({ t: 'stats', stats: { source: 'ebpf', fallbacks: [], kernelEvents: 9, execs: 5, vanished: 0, lost: 2, detections: 1 } }));
        setInterval(() => {}, 1000);
      });
      process.stdin.on('end', () => process.exit(0));`;
    const logs: string[] = [];
    const seen: Detection[] = [];
    const p = await RuntimeProcess.start({
      node: 'node-1',
      procRoot: '/proc',
      rules: await loadRuleSet([builtinRuntimeRulesDir()]),
      onDetection: (d) => seen.push(d),
      log: (line) => logs.push(line),
      command: [process.execPath, '-e', child],
    });
    try {
      await until(() => p.stats.lost === 2);
      expect(seen.map((d) => d.ruleId)).toEqual(['r']);
      expect(p.stats).toMatchObject({ source: 'ebpf', execs: 5, lost: 2, detections: 1 });
      expect(logs.filter((l) => l.endsWith('ignored'))).toHaveLength(2);
    } finally {
      p.stop();
    }
  }, 60_000);
});
