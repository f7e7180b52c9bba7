import { describe, expect, it } from '@jest/globals';
import {
  hasLabels,
  isLabelKey,
  isLabelValue,
  labelsOf,
  requiredLabels,
  selectorMatches,
  selectorProblems,
} from '../../../core/kube/label-selector.js';

const labels = { app: 'web', tier: 'frontend', 'app.kubernetes.io/part-of': 'shop' };

describe('selectorMatches', () => {
  it('reads only own string labels (not prototype keys, not numbers)', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] }, {})).toBe(
      false,
    );
    expect(selectorMatches({ matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }] }, {})).toBe(
      true,
    );
    expect(selectorMatches({ matchLabels: { tier: '1' } }, { tier: 1 })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: 1 })).toBe(
      false,
    );
    expect(selectorMatches({ matchLabels: { tier: '1' } }, { tier: '1' })).toBe(true);
  });

  it('matches everything with an empty selector', () => {
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({}, undefined)).toBe(true);
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, {})).toBe(true);
  });

  it('matches nothing with a missing (nil) selector', () => {
    expect(selectorMatches(undefined, labels)).toBe(false);
    expect(selectorMatches(null, labels)).toBe(false);
  });

  it('requires every matchLabels pair', () => {
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { 'app.kubernetes.io/part-of': 'shop' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'backend' } }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, {})).toBe(false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }],
    };
    expect(selectorMatches(selector, labels)).toBe(false);
    expect(selectorMatches(selector, { app: 'web', tier: 'backend' })).toBe(true);
  });

  it.each([
    [{ key: 'app', operator: 'In', values: ['web', 'api'] }, true],
    [{ key: 'app', operator: 'In', values: ['api'] }, false],
    [{ key: 'missing', operator: 'In', values: ['x'] }, false],
    [{ key: 'app', operator: 'NotIn', values: ['api'] }, true],
    [{ key: 'app', operator: 'NotIn', values: ['web'] }, false],
    [{ key: 'missing', operator: 'NotIn', values: ['x'] }, true],
    [{ key: 'tier', operator: 'Exists' }, true],
    [{ key: 'tier', operator: 'Exists', values: [] }, true],
    [{ key: 'missing', operator: 'Exists' }, false],
    [{ key: 'missing', operator: 'DoesNotExist' }, true],
    [{ key: 'app', operator: 'DoesNotExist' }, false],
  ])('evaluates %j as %s', (expression, expected) => {
    expect(selectorMatches({ matchExpressions: [expression] }, labels)).toBe(expected);
  });

  it.each([
    ['an unknown operator', { matchExpressions: [{ key: 'app', operator: 'Bogus', values: ['web'] }] }],
    ['a lower-case operator', { matchExpressions: [{ key: 'app', operator: 'in', values: ['web'] }] }],
    ['In without values', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }],
    ['NotIn without values', { matchExpressions: [{ key: 'missing', operator: 'NotIn' }] }],
    ['Exists with values', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }],
    [
      'DoesNotExist with values',
      { matchExpressions: [{ key: 'x', operator: 'DoesNotExist', values: ['y'] }] },
    ],
    ['a non-string value', { matchExpressions: [{ key: 'app', operator: 'In', values: [1] }] }],
    ['a non-string matchLabels value', { matchLabels: { replicas: 3 } }],
    ['an invalid label key', { matchLabels: { 'bad key': 'web' } }],
    ['an invalid label value', { matchLabels: { app: 'web app' } }],
    ['a string selector', 'app=web'],
    ['a list as matchLabels', { matchLabels: ['app'] }],
    ['a string as matchExpressions', { matchExpressions: 'app' }],
    ['a null expression', { matchExpressions: [null] }],
  ])('matches nothing with %s, and says why', (_what, selector) => {
    expect(selectorMatches(selector, labels)).toBe(false);
    expect(selectorProblems(selector).length).toBeGreaterThan(0);
  });

  it('ignores label values that are not strings on the object', () => {
    expect(
      selectorMatches({ matchExpressions: [{ key: 'replicas', operator: 'Exists' }] }, { replicas: 3 }),
    ).toBe(false);
  });

  it('names the offending expression', () => {
    expect(
      selectorProblems({
        matchExpressions: [
          { key: 'a', operator: 'Exists' },
          { key: 'b', operator: 'In' },
        ],
      }),
    ).toEqual(['matchExpressions[1]: operator In needs at least one value']);
  });
});

describe('label syntax', () => {
  it.each(['app', 'app.kubernetes.io/name', 'a', 'A_b-c.d', `${'a'.repeat(63)}`, 'example.com/x'])(
    'accepts the key %j',
    (key) => expect(isLabelKey(key)).toBe(true),
  );
  it.each(['', '-app', 'app-', 'bad key', `${'a'.repeat(64)}`, '/app', 'Example.com/x', 'a/b/c'])(
    'refuses the key %j',
    (key) => expect(isLabelKey(key)).toBe(false),
  );
  it('accepts empty values and refuses spaces or 64 characters', () => {
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('v1.2_3-x')).toBe(true);
    expect(isLabelValue('a b')).toBe(false);
    expect(isLabelValue('a'.repeat(64))).toBe(false);
  });
});

describe('labelsOf', () => {
  it('reads labels defensively', () => {
    expect(labelsOf({ metadata: { labels: { app: 'web' } } })).toEqual({ app: 'web' });
    expect(labelsOf({ metadata: { labels: ['app'] } } as never)).toEqual({});
    expect(labelsOf({ metadata: 'x' } as never)).toEqual({});
    expect(labelsOf({})).toEqual({});
  });
});

describe('requiredLabels', () => {
  it('reads the pairs of a valid selector that is only matchLabels', () => {
    expect(requiredLabels({ matchLabels: { app: 'web', tier: 'frontend' } })).toEqual([
      ['app', 'web'],
      ['tier', 'frontend'],
    ]);
    expect(requiredLabels({ matchLabels: { app: 'web' }, matchExpressions: [] })).toEqual([['app', 'web']]);
  });

  it('leaves out selectors that are not exactly a set of required pairs', () => {
    expect(requiredLabels({})).toBeUndefined(); // matches everything
    expect(requiredLabels({ matchLabels: {} })).toBeUndefined();
    expect(requiredLabels(undefined)).toBeUndefined(); // matches nothing
    expect(requiredLabels({ matchLabels: { app: 5 } })).toBeUndefined(); // invalid: matches nothing
    expect(
      requiredLabels({
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'Exists' }],
      }),
    ).toBeUndefined();
  });

  it('matches as selectorMatches does, through hasLabels', () => {
    const selectors: Array<{ matchLabels: Record<string, string> }> = [
      { matchLabels: { app: 'web' } },
      { matchLabels: { app: 'web', tier: 'frontend' } },
      { matchLabels: { constructor: 'x' } },
      { matchLabels: { tier: '1' } },
    ];
    const labelSets: Array<Record<string, unknown> | undefined> = [
      labels,
      {},
      undefined,
      { app: 'web' },
      { tier: 1 },
      { tier: '1' },
      { constructor: 'x' },
    ];
    for (const selector of selectors) {
      const pairs = requiredLabels(selector)!;
      for (const have of labelSets) expect(hasLabels(have, pairs)).toBe(selectorMatches(selector, have));
    }
  });
});
