import { describe, expect, it } from '@jest/globals';
import { fixedDigits, scientificDigits } from '../../../core/cel/decimal-digits.js';
import { evaluateCel } from './evaluate-cel.js';

// cel-go's string.format as the strings extension defines it (the CEL spec's string_ext conformance
// section): each clause, the values it takes and how it writes them, and the errors for the others.
describe('string.format', () => {
  it.each([
    [`'no clauses'.format([])`, 'no clauses'],
    [`'%%%s%%, %% left'.format(['x'])`, '%x%, % left'],
    [`'%d %s %d %s'.format([1, 'a', 2, 'b'])`, '1 a 2 b'],
    // %s: every scalar as its string conversion
    [`'%s %s %s'.format([true, 12345678901234, 2.5])`, 'true 12345678901234 2.5'],
    [`'%s|%s|%s'.format([null, b'bytes', uint(7)])`, 'null|bytes|7'],
    [`'%s'.format([type(1)])`, 'int'],
    [`'%s'.format([timestamp('2024-05-06T07:08:09Z')])`, '2024-05-06T07:08:09Z'],
    [`'%s'.format([timestamp('2024-05-06T07:08:09.120Z')])`, '2024-05-06T07:08:09.12Z'],
    [`'%s %s'.format([duration('1h1m1s'), duration('1.5s')])`, '3661s 1.5s'],
    [`'%s'.format([double('NaN')])`, 'NaN'],
    // lists element by element, maps with their keys in order
    [`'%s'.format([['a', 1, null, [2.5, b'z']]])`, '[a, 1, null, [2.5, z]]'],
    [
      `'%s'.format([{'b': 2, 'a': [1], 'c': {'y': true, 'x': null}}])`,
      '{a: [1], b: 2, c: {x: null, y: true}}',
    ],
    [`'%s'.format([{}])`, '{}'],
    // %d: ints, uints, and of doubles only NaN and the infinities
    [`'%d %d %d'.format([-42, uint(42), double('-Infinity')])`, '-42 42 -Infinity'],
    // %f and %e: precision 6 unless given; exact halves round to even, as Go does
    [`'%f %f'.format([1.25, 3])`, '1.250000 3.000000'],
    [`'%.0f %.0f %.0f %.0f'.format([0.5, 1.5, 2.5, 2.5000001])`, '0 2 2 3'],
    [`'%.2f %.2f %.1f'.format([0.125, 0.375, -0.05])`, '0.12 0.38 -0.1'],
    [`'%.3f'.format([-0.0001])`, '-0.000'],
    [`'%e %.2e %.0e'.format([123456.789, 0.000125, 2500.0])`, '1.234568e+05 1.25e-04 2e+03'],
    [`'%e'.format([0.0])`, '0.000000e+00'],
    [`'%f %e'.format([double('Infinity'), double('NaN')])`, 'Infinity NaN'],
    // %x %X %o %b
    [`'%x %X %x'.format([255, uint(255), -255])`, 'ff FF -ff'],
    [`'%x %X'.format(['hi', b'\\x01\\xff'])`, '6869 01FF'],
    [`'%o %b %b %b'.format([8, 5, true, false])`, '10 101 1 0'],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toBe(expected);
  });

  it.each([
    [`'%a'.format([1])`, 'could not parse formatting clause: unrecognized formatting clause "a"'],
    [`'%E'.format([1.0])`, 'could not parse formatting clause: unrecognized formatting clause "E"'],
    [`'50%'.format([])`, 'could not parse formatting clause: unexpected end of format string'],
    [
      `'%.f'.format([1.0])`,
      'could not parse formatting clause: unable to convert precision specifier to integer',
    ],
    [`'%s %s'.format(['one'])`, 'index 1 out of range'],
    [
      `'%.999999999f'.format([1.0])`,
      'could not parse formatting clause: precision 999999999 is larger than 1100',
    ],
    [
      `'%d'.format([1.5])`,
      'error during formatting: decimal clause can only be used on integers, was given double',
    ],
    [`'%d'.format([null])`, 'decimal clause can only be used on integers, was given null_type'],
    [`'%d'.format([duration('1s')])`, 'was given google.protobuf.Duration'],
    [`'%f'.format(['1'])`, 'fixed-point clause can only be used on doubles, was given string'],
    [`'%e'.format([null])`, 'scientific clause can only be used on doubles, was given null_type'],
    [
      `'%x'.format([0.5])`,
      'only integers, byte buffers, and strings can be formatted as hex, was given double',
    ],
    [`'%o'.format(['8'])`, 'octal clause can only be used on integers, was given string'],
    [`'%b'.format([[1]])`, 'only integers and bools can be formatted as binary, was given list'],
    [
      `'%s'.format([optional.of(1)])`,
      'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given optional_type',
    ],
    [`'%s'.format([b'\\xff'])`, 'invalid UTF-8 in bytes, cannot convert to string'],
  ])('%s fails: %s', (expression, message) => {
    expect(() => evaluateCel(expression)).toThrow(message);
  });
});

describe('decimal digits (Go strconv rounding)', () => {
  it('rounds the exact binary value, halves to even', () => {
    expect(fixedDigits(2.675, 2)).toBe('2.67'); // 2.675 is 2.67499999… in binary
    expect(fixedDigits(1e21, 0)).toBe('1000000000000000000000');
    expect(fixedDigits(-0, 1)).toBe('-0.0');
    expect(scientificDigits(1e23, 3)).toBe('1.000e+23'); // stored as 9.999…e22
    expect(scientificDigits(9.9996, 3)).toBe('1.000e+01'); // carries into a new digit
    expect(scientificDigits(5e-324, 2)).toBe('4.94e-324');
    expect(scientificDigits(1.7976931348623157e308, 3)).toBe('1.798e+308');
  });
});
