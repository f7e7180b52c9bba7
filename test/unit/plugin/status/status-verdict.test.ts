import { describe, expect, it } from '@jest/globals';
import { AGGREGATOR_STATUS_SCHEMA, type AggregatorStatus } from '../../../../core/protocol/index.js';
import { directStatusUrl } from '../../../../plugin/status/fetch-aggregator-status.js';
import type { ComponentStatus } from '../../../../plugin/status/status-report.js';
import { STATUS_EXIT, verdict } from '../../../../plugin/status/status-verdict.js';

const aggregatorStatus = (over: Partial<AggregatorStatus> = {}): AggregatorStatus => ({
  schema: AGGREGATOR_STATUS_SCHEMA,
  version: '0.1.0',
  commit: 'abc',
  replica: 'seco-aggregator-1',
  ready: true,
  checkedAt: '2026-12-06T00:00:00.000Z',
  nats: { connected: true, roundTripMs: 0.4 },
  s3: { reachable: true },
  vulnDb: {
    present: true,
    revision: 'f'.repeat(64),
    updatedAt: '2026-12-05T00:00:00.000Z',
    ageSeconds: 86_400,
  },
  agents: [],
  ...over,
});
const component = (name: string, ready: number, desired: number, found = true): ComponentStatus => ({
  name,
  object: `seco-${name}`,
  found,
  desired,
  ready,
  images: [],
});
const healthyComponents = [
  component('nats', 1, 1),
  component('minio', 1, 1),
  component('aggregator', 2, 2),
  component('agent', 1, 1),
];
const input = (over: Partial<Parameters<typeof verdict>[0]> = {}) => ({
  components: healthyComponents,
  perNode: [{ node: 'node-a', agent: 'ready' as const, reasons: [] }],
  aggregator: { reachable: true, status: aggregatorStatus() },
  maxVulnDbAgeSeconds: 7 * 86_400,
  ...over,
});

describe('verdict', () => {
  it('is healthy with every replica ready, every node covered and the aggregator reaching NATS, S3 and a fresh DB', () => {
    expect(verdict(input())).toEqual({ health: 'healthy', problems: [] });
    expect(STATUS_EXIT.healthy).toBe(0);
  });

  it('is degraded by a missing replica, an uncovered node, NATS or S3 unreachable, or a stale DB', () => {
    const judged = verdict(
      input({
        components: [
          component('nats', 1, 1),
          component('minio', 0, 0, false),
          component('aggregator', 1, 2),
          component('agent', 1, 2),
        ],
        perNode: [
          {
            node: 'gpu-1',
            agent: 'missing',
            reasons: ['taint dedicated=gpu:NoSchedule not tolerated by the DaemonSet'],
          },
        ],
        aggregator: {
          reachable: true,
          status: aggregatorStatus({
            nats: { connected: false, error: 'no answer' },
            vulnDb: { present: true, ageSeconds: 30 * 86_400 },
          }),
        },
      }),
    );
    expect(judged.health).toBe('degraded');
    expect(STATUS_EXIT.degraded).toBe(1);
    expect(judged.problems).toEqual([
      'aggregator: 1 of 2 ready',
      'agent: 1 of 2 ready',
      'node gpu-1: agent missing — taint dedicated=gpu:NoSchedule not tolerated by the DaemonSet',
      'the aggregator cannot reach NATS: no answer',
      'the vulnerability database is 720.0 h old (limit 168.0 h): import a fresh one',
    ]);
  });

  it('is degraded when no vuln DB was published', () => {
    const judged = verdict(
      input({ aggregator: { reachable: true, status: aggregatorStatus({ vulnDb: { present: false } }) } }),
    );
    expect(judged.health).toBe('degraded');
    expect(judged.problems[0]).toMatch(/no vulnerability database in the object store/);
  });

  it('is unreachable (exit 2) when the aggregator does not answer', () => {
    const judged = verdict(
      input({ aggregator: { reachable: false, error: 'HTTP 503: no endpoints available' } }),
    );
    expect(judged).toEqual({
      health: 'unreachable',
      problems: ['the aggregator does not answer: HTTP 503: no endpoints available'],
    });
    expect(STATUS_EXIT.unreachable).toBe(2);
  });
});

describe('directStatusUrl', () => {
  it('turns the WebSocket URL users already give into the /status URL', () => {
    expect(directStatusUrl('ws://127.0.0.1:8080/ws').toString()).toBe('http://127.0.0.1:8080/status');
    expect(directStatusUrl('wss://seco.example/base/ws').toString()).toBe('https://seco.example/base/status');
    expect(directStatusUrl('http://127.0.0.1:8080/').toString()).toBe('http://127.0.0.1:8080/status');
  });

  it('refuses other schemes and non-URLs, naming the flag', () => {
    expect(() => directStatusUrl('ftp://x/')).toThrow(
      '--aggregator-url ftp://x/ must start with ws://, wss://, http:// or https://',
    );
    expect(() => directStatusUrl('not a url')).toThrow('--aggregator-url not a url is not a URL');
  });
});
