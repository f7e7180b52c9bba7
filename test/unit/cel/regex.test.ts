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

  it('scopes flags as RE2 does: from the flag to the end of its group, or inside (?flags:…)', () => {
    expect(evaluateCel(`"aXb".find('a(?i)xb')`)).toBe('aXb');
    expect(evaluateCel(`"AXb".find('(?i:a)xb')`)).toBe('');
    expect(evaluateCel(`"Axb".find('(?i:a)xb')`)).toBe('Axb');
    expect(evaluateCel(`"aXb".find('(?i)axb')`)).toBe('aXb');
    expect(evaluateCel(`"aab".find('(?U)a+')`)).toBe('a'); // ungreedy
  });

  it('matches in time linear in the text: a pattern that backtracks exponentially elsewhere answers at once', () => {
    // Sixty a's and a '!': a backtracking engine tries every split of the a's (hours).
    const text = `${'a'.repeat(60)}!`;
    expect(evaluateCel(`object.s.find('^(a|aa)+$')`, { s: text })).toBe('');
    expect(evaluateCel(`object.s.findAll('(a|aa)+!')`, { s: text })).toEqual([text]);
  });

  it('refuses patterns RE2 does not have', () => {
    expect(() => evaluateCel(`"aa".find(r'(a)\\1')`)).toThrow(/invalid escape sequence/);
    expect(() => evaluateCel(`"a".find('[')`)).toThrow(/missing closing \]/);
  });

  // Go's regexp, which the library uses: FindAllString skips an empty match where the previous
  // one ended, and RE2 spellings JavaScript lacks are rewritten. (Patterns are CEL raw strings.)
  it.each([
    [`"123 abc 456".findAll('[0-9]*')`, ['123', '', '', '', '', '456']],
    [`"abc 123".find('[0-9]*')`, ''],
    [`"ab".findAll('')`, ['', '', '']],
    [String.raw`"a\u000bb".find(r'a\sb')`, ''],
    [`"ab12".find('[[:alpha:]]+')`, 'ab'],
    [`"ab12".find('[^[:alpha:]]+')`, '12'],
    [String.raw`"axb".find(r'\Qa.b\E')`, ''],
    [String.raw`"A".find(r'\x{41}')`, 'A'],
    [String.raw`"A".find(r'\101')`, 'A'],
    [`"a{,2}".find('a{,2}')`, 'a{,2}'],
    [`"ab".find('(?P<n>a)b')`, 'ab'],
    [String.raw`"héllo wörld".findAll(r'\pL+')`, ['héllo', 'wörld']],
    [String.raw`"ab".find(r'\Aab\z')`, 'ab'],
    [String.raw`"a!b".find(r'a\!b')`, 'a!b'],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it.each([
    [`"abc".find('(')`, 'missing closing ): `(`'],
    [`"x".find(')')`, 'unexpected ): `)`'],
    [`"abc".find('[')`, 'missing closing ]: `[`'],
    [`"abc".find('a**')`, 'invalid nested repetition operator: `**`'],
    [`"a".find('a{2}{3}')`, 'invalid nested repetition operator: `{2}{3}`'],
    [`"a".find('a|*')`, 'missing argument to repetition operator: `*`'],
    [`"abc".find('(?=a)')`, 'invalid or unsupported Perl syntax: `(?=`'],
    [`"ab".find('(?<=a)b')`, 'invalid named capture: `(?<=a)b`'],
    [`"x".find('x{1001}')`, 'invalid repeat count: `{1001}`'],
    [`"a".find('[z-a]')`, 'invalid character class range: `z-a`'],
    [String.raw`"a".find(r'\8')`, 'invalid escape sequence: `\\8`'],
  ])('%s fails as Go does', (expression, message) => {
    expect(() => evaluateCel(expression)).toThrow(`Illegal regex: error parsing regexp: ${message}`);
  });
});
