import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { startStack } from '../../harness/cluster/start-stack.js';
import { requireTool } from '../../harness/registry/required-tool.js';

describe('scan ns/app --scanners lynis,chkrootkit,rkhunter (node tools)', () => {
  it('each node’s tools runner (beside its agent) runs its node tools on the host root through the executor; raw output is stored; its heartbeat carries the tool versions', async () => {
    requireTool('lynis', 'lynis');
    requireTool('chkrootkit', 'chkrootkit');
    const bus = new MemoryBus({ ackWaitMs: 60_000, maxDeliver: 3 });
    const store = new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-tools-jobs-')));
    const audit = new AuditMemory();
    const stack = await startStack({
      bus: async () => sharedBus(bus),
      store,
      objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
      nodes: [
        { name: 'node-a', fixture: 'hardened' },
        { name: 'node-b', fixture: 'misconfigured' },
      ],
      jobTimeoutMs: 300_000,
      agent: {
        toolInputs: {
          lynisTests: ['KRNL-6000'],
          chkrootkitTests: ['slapper'],
          rkhunterTests: ['system_configs_ssh'],
        },
        toolAudit: audit.sink,
        toolsRunner: true,
      },
    });
    try {
      // The Slapper worm's file on node-b's host root only.
      const nodeB = stack.agents.get('node-b')!.host.hostRoot;
      mkdirSync(join(nodeB, 'tmp'), { recursive: true });
      writeFileSync(join(nodeB, 'tmp', '.bugtraq'), 'slapper');
      const client = await connectClient(stack.aggregators[0]!.url, stack.token);
      // The node tools by name: `tools` would also queue the image tools on the demo images (not pullable here).
      const report = await client.scan(
        { namespace: 'wordsmith', selector: 'app' },
        { scanners: ['lynis', 'chkrootkit', 'rkhunter'] },
      );
      client.close();
      expect(report.problems.filter((p) => p.kind !== 'warning')).toEqual([]);
      const slapper = report.findings.filter((f) => f.ruleId === 'tool:chkrootkit/slapper');
      expect(slapper.map((f) => f.resource.node)).toEqual(['node-b']);
      expect(report.findings.some((f) => f.scanner === 'tool:lynis' && f.resource.node === 'node-a')).toBe(
        true,
      );
      expect(new Set(report.findings.map((f) => f.scanner))).toEqual(
        new Set(['tool:lynis', 'tool:chkrootkit', 'tool:rkhunter']),
      );
      // rkhunter reads sshd_config without its Include: on the hardened node (PermitRootLogin yes, then no in
      // sshd_config.d) it disagrees with seco's passing check, and the disagreement stays visible. On node-b
      // seco's check fails too, so rkhunter's warning is merged into it and not reported twice.
      expect(
        report.findings.filter((f) => f.scanner === 'tool:rkhunter').map((f) => [f.ruleId, f.resource.node]),
      ).toEqual([['tool:rkhunter/ssh-root-access-is-allowed', 'node-a']]);
      const raw: string[] = [];
      for await (const key of store.list(`scans/${report.scanId}/tools/`)) raw.push(key);
      expect(raw.some((k) => k.endsWith('/lynis/lynis-report.dat'))).toBe(true);
      expect(raw.some((k) => k.includes('/chkrootkit/'))).toBe(true);
      expect(
        audit.records
          .filter((r) => r.event === 'ended')
          .map((r) => r.tool)
          .sort(),
      ).toEqual(['chkrootkit', 'chkrootkit', 'lynis', 'lynis', 'rkhunter', 'rkhunter']);
      // The aggregator's status lists each node's runner with the versions its binaries printed.
      const { replicaStatus } = await import('../../../aggregator/replica-status.js');
      const status = await replicaStatus({
        bus,
        store,
        agents: stack.aggregators[0]!.aggregator.coordinator.agents,
        replicaId: 'r',
        ready: () => true,
      });
      expect(status.agents.map((a) => a.node)).toEqual(['node-a', 'node-b']);
      expect(status.toolRunners?.map((r) => [r.node, r.serves, r.online])).toEqual([
        ['node-a', 'node', true],
        ['node-b', 'node', true],
      ]);
      const lynis = status.toolRunners?.[0]?.tools.find((t) => t.tool === 'lynis');
      expect(lynis).toMatchObject({
        path: '/usr/sbin/lynis',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });
    } finally {
      await stack.stop();
    }
  }, 400_000);
});
