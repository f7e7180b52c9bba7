import { describe, expect, it } from '@jest/globals';
import { AGGREGATOR_STATUS_SCHEMA, type AggregatorStatus } from '../../../../core/protocol/index.js';
import { nodeToolRows, nodeTools } from '../../../../plugin/tools/node-tools.js';

const at = '2026-12-06T10:00:00.000Z';
const status: AggregatorStatus = {
  schema: AGGREGATOR_STATUS_SCHEMA,
  version: '0.1.0',
  commit: 'c',
  replica: 'r',
  ready: true,
  checkedAt: at,
  nats: { connected: true },
  s3: { reachable: true },
  vulnDb: { present: false },
  agents: ['node-a', 'node-b', 'node-c'].map((node) => ({
    node,
    version: '0.1.0',
    startedAt: at,
    lastSeen: at,
    online: true,
  })),
  toolRunners: [
    {
      node: 'node-b',
      serves: 'node',
      version: '0.1.0',
      lastSeen: at,
      online: false,
      tools: [{ tool: 'lynis', binary: 'lynis', place: 'host', path: '/usr/sbin/lynis', version: '3.0.8' }],
    },
    {
      node: 'node-a',
      serves: 'node',
      version: '0.1.0',
      lastSeen: at,
      online: true,
      tools: [
        { tool: 'lynis', binary: 'lynis', place: 'host', path: '/usr/sbin/lynis', version: '3.0.8' },
        { tool: 'yara', binary: 'yara', place: 'image', problem: 'not installed (looked in /usr/bin/yara)' },
      ],
    },
    {
      node: 'node-a',
      serves: 'services',
      version: '0.1.0',
      lastSeen: at,
      online: true,
      tools: [{ tool: 'nmap', binary: 'nmap', place: 'service', path: '/usr/bin/nmap', version: '7.93' }],
    },
  ],
};

describe('kubectl seco tools: per node', () => {
  it('lists every runner with its tools, and a node whose agent has no tools runner', () => {
    const nodes = nodeTools(status);
    expect(nodes.map((n) => [n.node, n.serves, n.problem !== undefined])).toEqual([
      ['node-a', 'node', false],
      ['node-a', 'services', false],
      ['node-b', 'node', false],
      ['node-c', 'node', true],
    ]);
  });

  it('prints one row per node and tool: the version, why a tool cannot run, an offline runner, a missing one', () => {
    expect(nodeToolRows(nodeTools(status))).toEqual([
      ['NODE', 'SERVES', 'TOOL', 'VERSION', 'STATUS'],
      ['node-a', 'node', 'lynis', '3.0.8', 'ok'],
      ['node-a', 'node', 'yara', '-', 'not installed (looked in /usr/bin/yara)'],
      ['node-a', 'services', 'nmap', '7.93', 'ok'],
      ['node-b', 'node', 'lynis', '3.0.8', `offline (last heartbeat ${at})`],
      [
        'node-c',
        'node',
        '-',
        '-',
        'no tools runner heartbeat (the agent pod has no tools container, or it is not running)',
      ],
    ]);
  });

  it('reads a status from an aggregator that predates tools runners', () => {
    const { toolRunners: _, ...old } = status;
    expect(nodeTools(old).every((n) => n.problem)).toBe(true);
  });
});
