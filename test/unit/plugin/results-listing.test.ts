import { describe, expect, it } from '@jest/globals';
import { formatDuration, renderResultsListing } from '../../../plugin/output/results-listing.js';

describe('the results listing', () => {
  it('shows state, duration and problems per scan, and ? for summaries stored before they were recorded', () => {
    const text = renderResultsListing([
      {
        scanId: '01jf2',
        target: 'shop/deployment/web',
        startedAt: '2026-12-06T08:00:00.000Z',
        finishedAt: '2026-12-06T08:01:05.000Z',
        summary: { critical: 1, high: 2, medium: 0, low: 3 },
        state: 'incomplete',
        problems: 2,
      },
      { scanId: '01jf1', target: 'shop -l app=web', finishedAt: '2026-12-05T08:00:00.000Z', summary: {} },
    ]);
    expect(text.split('\n')).toEqual([
      'SCAN    STATE        FINISHED                   DURATION   C/H/M/L   PROBLEMS   TARGET',
      '01jf2   incomplete   2026-12-06T08:01:05.000Z   1m05s      1/2/0/3   2          shop/deployment/web',
      '01jf1   ?            2026-12-05T08:00:00.000Z   ?          0/0/0/0   ?          shop -l app=web',
      '',
    ]);
  });

  it('formats durations as kubectl ages do', () => {
    const at = (ms: number) => new Date(Date.parse('2026-12-06T00:00:00Z') + ms).toISOString();
    expect(formatDuration(at(0), at(850))).toBe('850ms');
    expect(formatDuration(at(0), at(42_000))).toBe('42s');
    expect(formatDuration(at(0), at(7_380_000))).toBe('2h03m');
    expect(formatDuration(at(5), at(0))).toBe('?');
  });
});
