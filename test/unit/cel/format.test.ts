import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the format library's godoc (k8s.io/apiserver/pkg/cel/library/format.go).
describe('format library', () => {
  it.each([
    [`!format.dns1123Label().validate('my-name').hasValue()`, true],
    [`format.dns1123Label().validate('My_Name').hasValue()`, true],
    [`format.named('dns1123Label').hasValue()`, true],
    [`format.named('no-such-format').hasValue()`, false],
    [`!format.named('dns1123Subdomain').value().validate('example.com').hasValue()`, true],
    [`format.dns1035Label().validate('1abc').hasValue()`, true],
    [`!format.dns1123LabelPrefix().validate('my-name-').hasValue()`, true],
    [`!format.qualifiedName().validate('example.com/my-name').hasValue()`, true],
    [`format.labelValue().validate('-bad').hasValue()`, true],
    [`!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()`, true],
    [`!format.date().validate('2024-02-29').hasValue()`, true],
    [`format.date().validate('2023-02-29').hasValue()`, true],
    [`!format.datetime().validate('2024-01-01T00:00:00Z').hasValue()`, true],
    [`!format.byte().validate('aGVsbG8=').hasValue()`, true],
    [`!format.uri().validate('https://example.com/').hasValue()`, true],
    [`format.dns1123Label().validate('a'.repeat(64)).hasValue()`, true],
  ])('%s is %p', (expression, expected) => {
    if (expression.includes('repeat'))
      expression = expression.replace(`'a'.repeat(64)`, `'${'a'.repeat(64)}'`);
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('gives the API validation messages', () => {
    const errors = (evaluateCel(`format.dns1123Label().validate('My_Name').value()`) as string[]).join(' ');
    expect(errors).toMatch(/a lowercase RFC 1123 label must consist of lower case alphanumeric characters/);
  });
});
