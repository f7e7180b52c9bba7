import { describe, expect, it } from '@jest/globals';
import type { ActiveScan } from '../../../../core/protocol/index.js';
import { WatchStore } from '../../../../plugin/tui/watch-store.js';
import { imageFinding, runtimeFinding } from './runtime-finding.js';

// Colours forced before Ink loads, as in watch-screen.test.tsx.
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { WatchScreen } = await import('../../../../plugin/tui/watch-screen.js');

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escapes is the point
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 20));
const SMALL = { columns: 80, rows: 24 };
const clock = () => new Date('2026-11-22T14:02:12Z');

async function keys(stdin: { write(s: string): void }, ...sequence: string[]) {
  for (const key of sequence) {
    stdin.write(key);
    await tick();
  }
}

const running: ActiveScan = {
  scanId: '01jd5x0000000000000000000a',
  target: 'shop/deployment/web',
  status: 'running',
  startedAt: '2026-11-22T14:01:12Z',
  requestedBy: 'alice',
  nodes: {
    'node-a': {
      image: { total: 4, acked: 3, failed: 0, timedOut: 0 },
      host: { total: 1, acked: 1, failed: 0, timedOut: 0 },
    },
    'node-b': { image: { total: 2, acked: 0, failed: 1, timedOut: 0 } },
  },
  problems: [{ kind: 'error', source: 'image ghcr.io/acme/web@sha256:ab', message: 'pull failed: 401' }],
};

function clusterStore(): WatchStore {
  const store = new WatchStore({ target: 't', screen: 'findings' }, clock);
  store.setConnection('connected');
  store.setFindings(
    [
      imageFinding('1', 'medium'),
      imageFinding('2', 'critical', { resource: { namespace: 'payments', kind: 'Deployment', name: 'api' } }),
      runtimeFinding('3', 'high', {
        scanner: 'config',
        ruleId: 'pss-baseline-privileged',
        title: 'Privileged container',
      }),
    ],
    [{ scanId: 's1', target: 'shop/deployment/web' }],
  );
  store.setActiveScans([running]);
  store.setScans([
    {
      scanId: '01jd5w0000000000000000000b',
      target: 'shop -l app=web',
      finishedAt: '2026-11-22T13:02:12Z',
      summary: { critical: 1, high: 4, medium: 2, low: 0 },
    },
  ]);
  store.setNodes([
    {
      node: 'node-a',
      online: true,
      agentVersion: '0.1.0',
      lastSeen: '2026-11-22T14:02:07Z',
      sensor: 'netlink',
      queuedJobs: 1,
      events: { critical: 2, high: 1 },
    },
    {
      node: 'node-b',
      online: false,
      agentVersion: '0.1.0',
      lastSeen: '2026-11-22T13:50:00Z',
      queuedJobs: 2,
      events: {},
    },
  ]);
  return store;
}

describe('findings, scans and nodes screens', () => {
  it('lists open findings worst first with their counts, and o sorts by namespace', async () => {
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={clusterStore()} size={SMALL} />);
    await tick();
    let lines = plain(lastFrame()).split('\n');
    expect(lines[1]).toContain('3 findings');
    expect(lines[2]).toContain('latest scan of 1 target: shop/deployment/web');
    expect(lines[4]).toMatch(/^ CRITICAL +payments/);
    expect(lines[5]).toMatch(/^ HIGH +shop/);
    expect(lines[6]).toMatch(/^ MEDIUM +shop/);
    await keys(stdin, 'o');
    lines = plain(lastFrame()).split('\n');
    expect(lines[1]).toContain('by:namespace');
    expect(lines[4]).toMatch(/payments/);
    await keys(stdin, 'G', '\r');
    const detail = plain(lastFrame());
    expect(detail).toMatch(/package +openssl 3\.0\.1/);
    expect(detail).toMatch(/fixed in +3\.0\.9/);
    expect(detail).toContain('CVE CVE-2026-0001');
    unmount();
  });

  it('shows a running scan with a bar per node and kind and its problems, then the stored ones', async () => {
    const store = clusterStore();
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, '3');
    const lines = plain(lastFrame()).split('\n');
    const row = lines.findIndex((l) => l.includes('shop/deployment/web'));
    expect(lines[row]).toMatch(/running +█{7}░{3} 5\/7 +1 failed, 1 problems/);
    expect(lines[row + 1]).toMatch(/node-a · host +█{10} 1\/1/);
    expect(lines[row + 2]).toMatch(/node-a · image +█{8}░{2} 3\/4/);
    expect(lines[row + 3]).toMatch(/node-b · image +█{5}░{5} 1\/2 +1 failed/);
    expect(lines[row + 4]).toMatch(/shop -l app=web +done +1 4 2 0/);
    unmount();
  });

  it('opens a stored scan on enter: its findings and problems, esc back to the scans', async () => {
    const store = clusterStore();
    const asked: string[] = [];
    store.setScanLoader((id) => asked.push(id));
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, '3', 'G', '\r');
    expect(asked).toEqual(['01jd5w0000000000000000000b']);
    expect(plain(lastFrame())).toContain('loading scan 01jd5w0000000000000000000b');
    store.setOpenedScan({
      scanId: '01jd5w0000000000000000000b',
      state: 'loaded',
      findings: [imageFinding('7', 'high')],
      problems: [{ kind: 'error', source: 'job image-1 on node-b', message: 'timed out after 600 s' }],
    });
    await tick();
    const frame = plain(lastFrame());
    expect(frame).toContain('scan 01jd5w0000000000000000000b shop -l app=web · 1 problem');
    expect(frame).toContain('job image-1 on node-b: timed out after 600 s');
    expect(frame).toContain('CVE-2026-0007');
    expect(frame).not.toContain('CVE-2026-0001');
    await keys(stdin, '\u001B');
    expect(plain(lastFrame())).toMatch(/TARGET +STATE +PROGRESS/);
    unmount();
  });

  it('lists nodes with agent state, sensor, heartbeat age, queued jobs and events', async () => {
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={clusterStore()} size={SMALL} />);
    await keys(stdin, '4');
    const lines = plain(lastFrame()).split('\n');
    expect(lines.find((l) => l.includes('node-a'))).toMatch(/node-a +online +netlink +5s ago +1 +2 1 0 0/);
    expect(lines.find((l) => l.includes('node-b'))).toMatch(/node-b +offline +- +12m ago +2 +0 0 0 0/);
    await keys(stdin, '\r');
    expect(plain(lastFrame())).toMatch(/sensor +netlink/);
    unmount();
  });

  it('says why the nodes are missing when the aggregator would not list them', async () => {
    const store = clusterStore();
    store.setNodes([], 'alice may not list pods in all namespaces');
    store.showScreen('nodes');
    const { lastFrame, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await tick();
    expect(plain(lastFrame())).toContain('nodes: alice may not list pods in all namespaces');
    unmount();
  });
});
