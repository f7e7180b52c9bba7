import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// cel-go's strings extension as Kubernetes enables it, and optional types (CEL spec, optional.go).
describe('strings extension and optional types', () => {
  it.each([
    [`'hello'.charAt(1)`, 'e'],
    [`'hello'.charAt(5)`, ''],
    [`'hello hello'.replace('he', 'we')`, 'wello wello'],
    [`'hello hello'.replace('he', 'we', 1)`, 'wello hello'],
    [`'gums'.reverse()`, 'smug'],
    [`strings.quote('single-quote with "double quote"')`, '"single-quote with \\"double quote\\""'],
    [`'%s is %d years'.format(['Ann', 30])`, 'Ann is 30 years'],
    [`'%.2f'.format([3.14159])`, '3.14'],
    [`'TacoCat'.lowerAscii()`, 'tacocat'],
    [`'a,b'.split(',')`, ['a', 'b']],
    [`object.?spec.?replicas.orValue(1)`, 1n],
    [`object.?metadata.?labels[?'app'].orValue('none')`, 'web'],
    [`optional.of(1).hasValue()`, true],
    [`optional.none().orValue('x')`, 'x'],
    [`has(object.metadata.labels)`, true],
    [`cel.bind(n, 2, n * n)`, 4n],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression, { metadata: { labels: { app: 'web' } } })).toEqual(expected);
  });
});
