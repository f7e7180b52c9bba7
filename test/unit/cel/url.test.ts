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
});
