import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the regex library's godoc (k8s.io/apiserver/pkg/cel/library/regex.go).
describe('regex library', () => {
  it.each([
    [`"abc 123".find('[0-9]+')`, '123'],
    [`"abc 123".find('xyz')`, ''],
    [`"123 abc 456".findAll('[0-9]+')`, ['123', '456']],
    [`"123 abc 456".findAll('[0-9]+', 1)`, ['123']],
    [`"123 abc 456".findAll('xyz')`, []],
    [`"ABC".find('(?i)b')`, 'B'],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('refuses patterns RE2 does not have', () => {
    expect(() => evaluateCel(`"aa".find('(a)\\\\1')`)).toThrow(/not RE2 syntax/);
    expect(() => evaluateCel(`"a".find('[')`)).toThrow(/invalid regex/);
  });
});
