import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the URLs library's godoc (k8s.io/apiserver/pkg/cel/library/urls.go).
describe('URLs library', () => {
  it.each([
    [`isURL('https://example.com:80/')`, true],
    [`isURL('/absolute-path')`, true],
    [`isURL('../relative-path')`, false],
    [`url('/absolute-path').getScheme()`, ''],
    [`url('https://example.com/').getScheme()`, 'https'],
    [`url('https://example.com:80/').getHost()`, 'example.com:80'],
    [`url('https://example.com/').getHost()`, 'example.com'],
    [`url('https://[::1]:80/').getHost()`, '[::1]:80'],
    [`url('/path').getHost()`, ''],
    [`url('https://example.com:80/').getHostname()`, 'example.com'],
    [`url('https://[::1]:80/').getHostname()`, '::1'],
    [`url('https://example.com:80/').getPort()`, '80'],
    [`url('https://example.com/').getPort()`, ''],
    [`url('https://example.com/path').getEscapedPath()`, '/path'],
    [`url('https://example.com/path with spaces/').getEscapedPath()`, '/path%20with%20spaces/'],
    [`url('https://example.com').getEscapedPath()`, ''],
    [
      `url('https://example.com/?k=v&k=v2&k2=x').getQuery()`,
      new Map([
        ['k', ['v', 'v2']],
        ['k2', ['x']],
      ]),
    ],
    [`url('https://example.com/').getQuery()`, new Map()],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('refuses a relative URL', () => {
    expect(() => evaluateCel(`url('../relative-path')`)).toThrow(/URL parse error/);
  });

  // Go's net/url, which the library uses: ParseRequestURI decides validity, Parse gives the parts.
  it.each([
    [`isURL('https:')`, true],
    [`isURL('*')`, true],
    [`isURL('')`, false],
    [`isURL('http://ex%41mple.com/')`, false],
    [`url('https://example.com/a%2Fb').getEscapedPath()`, '/a%2Fb'],
    [`url('https://example.com/a!b').getEscapedPath()`, '/a!b'],
    [`url('https://example.com/p#frag').getEscapedPath()`, '/p'],
    [`url('//example.com/p').getHost()`, 'example.com'],
    [`url('http://[fe80::1%25en0]:8080/').getHostname()`, 'fe80::1%en0'],
    [`url('https://example.com/p?x=1#frag').getQuery()`, new Map([['x', ['1']]])],
    [`url('https://example.com/p?a=1;b=2&c=3').getQuery()`, new Map([['c', ['3']]])],
    [`url('https://example.com/p?a+b=c+d').getQuery()`, new Map([['a b', ['c d']]])],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it.each([
    [`url('https://a:b:c/')`, 'parse "https://a:b:c/": invalid port ":c" after host'],
    [`url('../relative-path')`, 'parse "../relative-path": invalid URI for request'],
    [`url('')`, 'parse "": empty url'],
    [`url(':foo')`, 'parse ":foo": missing protocol scheme'],
    [`url('http://a b/')`, 'parse "http://a b/": invalid character " " in host name'],
    [`url('/a%zzb')`, 'parse "/a%zzb": invalid URL escape "%zz"'],
    [`url('http://[::1/')`, `parse "http://[::1/": missing ']' in host`],
    [`url('http://x/\\x01')`, 'parse "http://x/\\x01": net/url: invalid control character in URL'],
  ])("%s fails with net/url's message", (expression, message) => {
    expect(() => evaluateCel(expression)).toThrow(
      `URL parse error during conversion from string: ${message}`,
    );
  });
});
