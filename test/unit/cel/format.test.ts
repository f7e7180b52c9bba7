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

  // Kubernetes' own cases (format_test.go) and the validators behind them (apimachinery's
  // validation, kube-openapi's strfmt).
  const errorsOf = (expression: string) => {
    const result = evaluateCel(expression) as { hasValue(): boolean; value(): unknown };
    return result.hasValue() ? result.value() : [];
  };
  const qualifiedNameRule =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  it.each([
    [`format.uuid().validate('123e4567e89b12d3a456426614174000')`, []],
    [`format.byte().validate('')`, ['invalid base64']],
    [`format.datetime().validate('2020-01-01T24:00:00Z')`, ['invalid datetime']],
    [`format.datetime().validate('2020-01-01t00:00:00.5+01:00')`, []],
    [`format.uri().validate('relative/path')`, ['parse "relative/path": invalid URI for request']],
    [`format.dns1123Label().validate('a.b')`, ['must not contain dots']],
    [`format.labelValue().validate('${'a'.repeat(64)}')`, ['must be no more than 63 characters']],
    [
      `format.qualifiedName().validate('')`,
      ['name part must be non-empty', `name part ${qualifiedNameRule}`],
    ],
    [
      `format.qualifiedName().validate('a/b/c')`,
      [
        `a qualified name ${qualifiedNameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    // maskTrailingDash replaces the last two characters by 'a'.
    [`format.dns1123LabelPrefix().validate('a_-')`, []],
  ])('%s gives %p', (expression, expected) => {
    expect(errorsOf(expression)).toEqual(expected);
  });

  it('compares formats by identity', () => {
    expect(evaluateCel(`format.named('uri').value() == format.uri()`)).toBe(true);
    expect(evaluateCel('format.uri() == format.uuid()')).toBe(false);
  });

  it('gives the API validation messages', () => {
    const errors = (evaluateCel(`format.dns1123Label().validate('My_Name').value()`) as string[]).join(' ');
    expect(errors).toMatch(/a lowercase RFC 1123 label must consist of lower case alphanumeric characters/);
  });
});
