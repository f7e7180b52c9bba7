import { describe, expect, it } from '@jest/globals';
import { toolsRunnerConfig } from '../../../agent/tools-runner-config.js';

describe('seco tools (the tools runner) configuration', () => {
  it('shares the agent’s SECO_* variables, and takes the node’s tool jobs by default', () => {
    const config = toolsRunnerConfig([], {
      SECO_NODE: 'node-a',
      SECO_HOST_ROOT: '/host',
      SECO_NATS: 'nats://n:4222',
      SECO_HEARTBEAT: '5',
    });
    expect(config).toMatchObject({
      serves: 'node',
      node: 'node-a',
      hostRoot: '/host',
      procRoot: '/host/proc',
      nats: 'nats://n:4222',
      heartbeatMs: 5000,
    });
    expect(config.limits.tools.deadlineMs).toBeGreaterThan(0);
  });

  it('serves Service tools when asked, and refuses anything else or an agent-only flag', () => {
    expect(toolsRunnerConfig(['--serves', 'services', '--node', 'n'], {}).serves).toBe('services');
    expect(() => toolsRunnerConfig(['--serves', 'everything', '--node', 'n'], {})).toThrow(
      /--serves "everything": expected node or services/,
    );
    expect(() => toolsRunnerConfig(['--node', 'n', '--runtime-sensor', 'ebpf'], {})).toThrow(
      /runtime-sensor/,
    );
  });
});
