import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the Kubernetes CEL documentation and the lists library's godoc
// (k8s.io/apiserver/pkg/cel/library/lists.go).
describe('lists library', () => {
  it.each([
    ['[1, 2, 3].isSorted()', true],
    [`['a', 'b', 'b', 'c'].isSorted()`, true],
    ['[2.0, 1.0].isSorted()', false],
    ['[1, 2, 3].sum()', 6n],
    ['[1.0, 2.0, 3.0].sum()', 6],
    ['[].sum()', 0n],
    ['[1, 3, 2].min()', 1n],
    ['[1, 3, 2].max()', 3n],
    [`['b', 'a'].min()`, 'a'],
    ['[1, 2, 3].indexOf(2)', 1n],
    ['[1, 2, 2, 3].lastIndexOf(2)', 2n],
    ['[].indexOf(1)', -1n],
    ['object.items.map(x, x.weight).sum() == 1.0', true],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression, { items: [{ weight: 0.25 }, { weight: 0.75 }] })).toEqual(expected);
  });

  it('refuses min of an empty list and mixed types', () => {
    expect(() => evaluateCel('[].min()')).toThrow(/min called on empty list/);
    expect(() => evaluateCel('[].max()')).toThrow(/max called on empty list/);
    expect(() => evaluateCel(`[1, 'a'].isSorted()`)).toThrow(/no such overload/);
  });

  // The library declares its functions per element type (lists.go), so these hold in Kubernetes.
  it.each([
    [`[1u, 2u].sum() == 3u`, true],
    [`[duration('1m'), duration('1s')].sum() == duration('1m1s')`, true],
    [`[duration('1m'), duration('1s')].min() == duration('1s')`, true],
    [`[timestamp('2020-01-01T00:00:00Z'), timestamp('2021-01-01T00:00:00Z')].isSorted()`, true],
    [`[b'a', b'b'].isSorted()`, true],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it.each([`[[1], [2]].isSorted()`, `['a', 'b'].sum()`, `[{'a': 1}].min()`, `[1, 2].indexOf('a')`])(
    'refuses %s when checking it',
    (expression) => {
      expect(() => evaluateCel(expression)).toThrow(/found no matching overload/);
    },
  );

  it('fails on int overflow in sum', () => {
    expect(() => evaluateCel('[9223372036854775807, 1].sum()')).toThrow(/integer overflow/);
  });
});
