import { describe, expect, it } from '@jest/globals';
import { type Finding, type Report, Report as ReportSchema } from '../../../core/model/index.js';
import { checkSummaryRows, countByCheck } from '../../../core/report/render/check-summary.js';
import { tableRenderer } from '../../../core/report/render/table.js';
import { cutAtWord, wrapWords } from '../../../core/report/render/wrap-words.js';

const finding = (over: Partial<Finding> & Pick<Finding, 'id' | 'ruleId'>): Finding => ({
  scanner: 'config',
  title: 'Privileged container',
  severity: 'high',
  resource: { kind: 'Pod', namespace: 'ops', name: 'root-shell', container: 'shell', line: 7 },
  references: [],
  firstSeen: '2026-12-06T00:00:00.000Z',
  lastSeen: '2026-12-06T00:00:00.000Z',
  status: 'open',
  ...over,
});

const report = (findings: Finding[], problems: Report['problems'] = []): Report =>
  ReportSchema.parse({
    schemaVersion: 'seco.report/v1',
    scanId: 's1',
    target: { kind: 'files', name: 'x' },
    startedAt: '2026-12-06T00:00:00.000Z',
    finishedAt: '2026-12-06T00:00:01.000Z',
    summary: { critical: 0, high: findings.length, medium: 0, low: 0, info: 0, suppressed: 0 },
    resources: [],
    findings,
    problems,
    skippedKinds: {},
  });

const LONG_EVIDENCE =
  'container "shell" must not set securityContext.privileged=true; it runs with every capability and ' +
  'all devices of the node, sha256:4b1f0cde2a7e4d7c9a06a1b7e0f6bd3a2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4 included';

describe('wrapping at words', () => {
  it('breaks only at spaces and keeps a word longer than the line whole', () => {
    const lines = wrapWords(LONG_EVIDENCE, 30);
    for (const line of lines) expect(line.length <= 30 || !line.includes(' ')).toBe(true);
    expect(lines.join(' ')).toBe(LONG_EVIDENCE);
    expect(lines).toContain('sha256:4b1f0cde2a7e4d7c9a06a1b7e0f6bd3a2c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4');
  });

  it('cuts a title at a word with an ellipsis only when it must', () => {
    expect(cutAtWord('Image pinned by a mutable tag is not always pulled', 24)).toBe('Image pinned by a…');
    expect(cutAtWord('No liveness probe', 24)).toBe('No liveness probe');
  });
});

describe('the table at a given width', () => {
  const findings = [
    finding({ id: '0000000000000001', ruleId: 'pss-baseline-privileged', evidence: LONG_EVIDENCE }),
    finding({
      id: '0000000000000002',
      ruleId: 'pss-baseline-privileged',
      resource: { kind: 'Pod', namespace: 'ops', name: 'other' },
    }),
  ];

  for (const width of [60, 80, 120]) {
    it(`keeps every line within ${width} columns except an unbreakable word, and never splits a word`, () => {
      const text = tableRenderer.render(report(findings), { color: false, toolVersion: '0', width });
      const words = new Set(`${LONG_EVIDENCE} Privileged container [shell] (line 7)`.split(' '));
      for (const line of text.split('\n')) {
        if (line.length > width) expect(line.trim()).toMatch(/^sha256:[0-9a-f]+$/);
      }
      // every word of the evidence is printed whole somewhere
      for (const word of words) expect(text.split(/\s+/)).toContain(word);
    });
  }

  it('ends with a per-check table counting distinct resources', () => {
    const text = tableRenderer.render(report(findings), { color: false, toolVersion: '0', width: 100 });
    expect(text).toMatch(/^CHECK\s+SEVERITY\s+RESOURCES\s+TITLE$/m);
    expect(text).toMatch(/^pss-baseline-privileged\s+HIGH\s+2\s+Privileged container$/m);
    expect(countByCheck(findings)).toEqual([
      { ruleId: 'pss-baseline-privileged', severity: 'high', title: 'Privileged container', resources: 2 },
    ]);
    expect(checkSummaryRows(countByCheck(findings), 40)[0]).toEqual(['CHECK', 'SEVERITY', 'RESOURCES']);
  });

  it('says an incomplete scan is incomplete and lists what failed', () => {
    const text = tableRenderer.render(
      report(
        [],
        [{ kind: 'error', source: 'image job j1 on node node-a (nginx:1)', message: 'failed: pull refused' }],
      ),
      { color: false, toolVersion: '0', width: 100 },
    );
    expect(text).toContain('INCOMPLETE SCAN: 1 problem;');
    expect(text).toContain('  - image job j1 on node node-a (nginx:1): failed: pull refused');
  });
});

describe('a real report (the demo app)', () => {
  it('renders at 80 columns with no line over 80', async () => {
    const { scanManifestFiles } = await import('../../../core/config/scan-manifest-files.js');
    const demo = await scanManifestFiles(['examples/demo-app/common'], {
      stdin: async () => Buffer.alloc(0),
    });
    const text = tableRenderer.render(demo, { color: false, toolVersion: '0', width: 80 });
    const over = text.split('\n').filter((l) => l.length > 80 && l.trim().includes(' '));
    expect(over).toEqual([]);
    expect(text).toContain('container-runtime-socket-mounted');
  });
});
