import { describe, expect, it } from '@jest/globals';
import {
  ClientMessage,
  decodeMessage,
  Heartbeat,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  ServerMessage,
} from '../../../core/protocol/index.js';

const v = PROTOCOL_VERSION;
const client = (value: unknown) => decodeMessage(ClientMessage, JSON.stringify(value), MAX_WS_MESSAGE_BYTES);
const server = (value: unknown) => decodeMessage(ServerMessage, JSON.stringify(value), MAX_WS_MESSAGE_BYTES);

describe('the watch screens’ messages', () => {
  it('accepts the three requests, and watch.subscribe with or without since/history', () => {
    expect(client({ v, type: 'scans.active', requestId: 'r1' }).ok).toBe(true);
    expect(client({ v, type: 'nodes.list', requestId: 'r2' }).ok).toBe(true);
    expect(client({ v, type: 'findings.latest', requestId: 'r3', scans: 20 }).ok).toBe(true);
    expect(client({ v, type: 'watch.subscribe' }).ok).toBe(true);
    expect(client({ v, type: 'watch.subscribe', since: '2026-12-06T08:00:00.000Z', history: 2000 }).ok).toBe(
      true,
    );
  });

  it('refuses what is out of bounds, naming the field', () => {
    expect(client({ v, type: 'watch.subscribe', since: 'yesterday' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('since'),
    });
    expect(client({ v, type: 'watch.subscribe', history: 1_000_000 })).toMatchObject({
      ok: false,
      error: expect.stringContaining('history'),
    });
    expect(client({ v, type: 'findings.latest', requestId: 'r', scans: 0 })).toMatchObject({ ok: false });
    expect(client({ v, type: 'scans.active' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('requestId'),
    });
  });

  it('validates the answers: counts are whole and not negative', () => {
    const counts = { total: 2, acked: 1, failed: 0, timedOut: 0 };
    const scan = {
      scanId: 's',
      target: 'shop/web',
      status: 'running',
      startedAt: 't',
      nodes: { 'node-a': { image: counts } },
      problems: [],
    };
    expect(server({ v, type: 'scans.active', requestId: 'r', scans: [scan] }).ok).toBe(true);
    const bad = { ...scan, nodes: { 'node-a': { image: { ...counts, acked: -1 } } } };
    expect(server({ v, type: 'scans.active', requestId: 'r', scans: [bad] }).ok).toBe(false);
    const node = { node: 'node-a', online: true, queuedJobs: 0, events: { high: 2 } };
    expect(server({ v, type: 'nodes.list', requestId: 'r', nodes: [node] }).ok).toBe(true);
    expect(server({ v, type: 'findings.latest.done', requestId: 'r', scans: [], findingCount: 0 }).ok).toBe(
      true,
    );
  });

  it('a heartbeat from an older agent, without sensor, is still one', () => {
    const beat = {
      v,
      type: 'heartbeat',
      node: 'node-a',
      agentVersion: '0.1.0',
      startedAt: '2026-12-06T08:00:00.000Z',
      sentAt: '2026-12-06T08:00:10.000Z',
    };
    expect(decodeMessage(Heartbeat, JSON.stringify(beat), 4096).ok).toBe(true);
    expect(decodeMessage(Heartbeat, JSON.stringify({ ...beat, sensor: 'netlink' }), 4096).ok).toBe(true);
  });
});
