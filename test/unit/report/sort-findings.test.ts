import { describe, expect, it } from '@jest/globals';
import { type Finding, SEVERITIES } from '../../../core/model/index.js';
import { sortFindings } from '../../../core/report/build-report.js';

// The order sortFindings promises, written as the one stable sort it replaces: severity rank (unknown
// severities last), then the resource key, rule and id, ties in input order.
function referenceOrder(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => {
    const i = SEVERITIES.indexOf(f.severity);
    return i < 0 ? SEVERITIES.length : i;
  };
  const key = (f: Finding) => {
    const r = f.resource;
    return [r.namespace, r.kind, r.name, r.container, r.node, r.image].join('/');
  };
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) => rank(a) - rank(b) || text(key(a), key(b)) || text(a.ruleId, b.ruleId) || text(a.id, b.id),
  );
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

function finding(rnd: () => number, serial: number): Finding {
  const pick = <T>(values: readonly T[]) => values[Math.floor(rnd() * values.length)]!;
  const resource: Finding['resource'] = {
    kind: pick(['Deployment', 'Pod', 'Job']),
    name: pick(['a', 'b', 'a/b']),
  };
  const namespace = pick([undefined, 'ns', 'ns/x']);
  if (namespace) resource.namespace = namespace;
  const container = pick([undefined, undefined, 'web', 'side']);
  if (container) resource.container = container;
  if (rnd() < 0.1) resource.image = pick(['nginx', 'redis']);
  return {
    // Ids repeat on purpose: the input order must decide between otherwise equal findings.
    id: (Math.floor(rnd() * 8) + 0x1000000000000000).toString(16),
    scanner: 'config',
    ruleId: pick(['rule-a', 'rule-b', 'rule-c']),
    title: `finding ${serial}`,
    severity: pick([...SEVERITIES, 'bogus' as Finding['severity']]),
    resource,
    references: [],
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-01T00:00:00.000Z',
    status: 'open',
  };
}

describe('sortFindings', () => {
  it('orders by severity, resource key, rule and id, keeping the input order of ties', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = random(seed);
      const findings: Finding[] = [];
      // Runs of findings on one resource, as scanners report them, with resources and containers repeating.
      while (findings.length < 400) {
        const first = finding(rnd, findings.length);
        const run = Math.floor(rnd() * 6) + 1;
        for (let i = 0; i < run; i++) {
          const next = finding(rnd, findings.length);
          next.resource =
            rnd() < 0.5 ? { ...first.resource } : { ...first.resource, container: next.resource.container };
          findings.push(next);
        }
      }
      expect(sortFindings(findings).map((f) => f.title)).toEqual(
        referenceOrder(findings).map((f) => f.title),
      );
    }
  });

  it('sorts resources whose parts are not strings as their joined key (hostile input)', () => {
    const rnd = random(7);
    const findings = Array.from({ length: 50 }, (_, i) => finding(rnd, i));
    for (const f of findings.slice(0, 25))
      (f.resource as Record<string, unknown>).kind = Math.floor(rnd() * 3);
    expect(sortFindings(findings).map((f) => f.title)).toEqual(referenceOrder(findings).map((f) => f.title));
  });

  it('orders long runs on one resource (an image with many vulnerabilities) as the stable sort does', () => {
    const rnd = random(11);
    const findings = Array.from({ length: 500 }, (_, i) => {
      const f = finding(rnd, i);
      f.resource = { kind: 'Image', name: 'app', image: 'nginx' };
      f.severity = i % 3 === 0 ? 'high' : 'low';
      return f;
    });
    expect(sortFindings(findings).map((f) => f.title)).toEqual(referenceOrder(findings).map((f) => f.title));
    expect(sortFindings([])).toEqual([]);
  });
});
