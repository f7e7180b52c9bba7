import { describe, expect, it } from '@jest/globals';
import { type Column, fitCell, layoutColumns } from '../../../../plugin/tui/column-layout.js';
import { eventsScreen } from '../../../../plugin/tui/screens/events-screen.js';
import { findingsScreen } from '../../../../plugin/tui/screens/findings-screen.js';

const used = (widths: number[]) => {
  const visible = widths.filter((w) => w > 0);
  return visible.reduce((a, b) => a + b, 0) + visible.length - 1;
};

describe('layoutColumns', () => {
  const event = [
    '14:02:12',
    'HIGH',
    'drift-executable-not-in-image-sbom',
    'wordsmith/aggregator-fa252/aggregator',
    '×3',
    'ip-10-0-12-34.eu-west-1.compute.internal',
    'runtime',
    '4s',
  ];

  it('gives every column what it needs when that fits', () => {
    const widths = layoutColumns(eventsScreen.columns, [event], 200);
    expect(widths).toEqual([8, 8, 34, 37, 4, 40, 7, 3]);
  });

  it('at 78 columns hides the optional and a long low-priority column before cutting the rule', () => {
    const widths = layoutColumns(eventsScreen.columns, [event], 78);
    expect(used(widths)).toBeLessThanOrEqual(78);
    const [time, severity, rule, where, seen, node, source, age] = widths;
    expect({ time, severity, rule, seen }).toEqual({ time: 8, severity: 8, rule: 34, seen: 4 });
    expect({ node, source, age }).toEqual({ node: 0, source: 0, age: 0 });
    expect(where).toBeGreaterThanOrEqual(14);
    expect(where).toBeLessThan(37);
  });

  it('keeps a short column whole and cuts a more important long one when that is enough', () => {
    const finding = [
      'HIGH',
      'wordsmith',
      'Deployment/aggregator/debug-sidecar',
      'pss-baseline-privileged-container',
      'config',
      '',
      'Privileged containers have full access to the host and all its devices',
    ];
    const widths = layoutColumns(findingsScreen.columns, [finding], 78);
    expect(used(widths)).toBeLessThanOrEqual(78);
    expect(widths[1]).toBe(9); // the namespace, whole
    expect(widths[0]).toBe(8);
    expect(widths[6]).toBe(0); // the title went: the least important free text, too long to cut to fit
  });

  it('never lets the most important column go, however narrow', () => {
    const columns: Column[] = [
      { title: 'A', min: 10, priority: 1, cut: true },
      { title: 'B', min: 10, priority: 2 },
    ];
    const widths = layoutColumns(columns, [['a'.repeat(40), 'b'.repeat(10)]], 6);
    expect(widths).toEqual([6, 0]);
  });

  it('cuts with an ellipsis only when the text is longer, and pads otherwise', () => {
    expect(fitCell('shop/web', 10)).toBe('shop/web  ');
    expect(fitCell('shop/web-7d9', 10)).toBe('shop/web-…');
    expect(fitCell('×2', 4, 'right')).toBe('  ×2');
    expect(fitCell('a\u001bb', 5)).toBe('a�b  ');
  });
});
