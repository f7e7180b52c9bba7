import { describe, expect, it } from '@jest/globals';
import { parseQuantity, Quantity } from '../../../core/cel/quantity.js';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the Kubernetes CEL documentation and the quantity library's godoc
// (k8s.io/apiserver/pkg/cel/library/quantity.go).
describe('quantity library', () => {
  it.each([
    [`isQuantity("1.3G")`, true],
    [`isQuantity("1.3Gi")`, true],
    [`isQuantity("1,3G")`, false],
    [`isQuantity("10000k")`, true],
    [`isQuantity("200K")`, false],
    [`isQuantity("Three")`, false],
    // resource.ParseQuantity reads a suffix with no digits before it as 0 (the godoc's
    // `isQuantity('Mi') // returns false` is not what the parser does).
    [`isQuantity("Mi")`, true],
    [`quantity("50000000G").isInteger()`, true],
    [`quantity("50k").isInteger()`, true],
    [`quantity("9999999999999999999999999999999999999G").isInteger()`, false],
    [`quantity("1.5").isInteger()`, false],
    [`quantity("50k").asInteger()`, 50000n],
    [`quantity("50M").asInteger()`, 50000000n],
    [`quantity("50.703k").asApproximateFloat()`, 50703],
    [`quantity("1Mi").isGreaterThan(quantity("100Ki"))`, true],
    [`quantity("100Ki").isLessThan(quantity("1Mi"))`, true],
    [`quantity("200M").compareTo(quantity("0.2G"))`, 0n],
    [`quantity("50M").compareTo(quantity("50Mi"))`, -1n],
    [`quantity("1k").add(quantity("1Ki")) == quantity("2024")`, true],
    [`quantity("50k").add(20) == quantity("50020")`, true],
    [`quantity("50k").sub(quantity("20k")) == quantity("30k")`, true],
    [`quantity("50k").sub(20) == quantity("49980")`, true],
    [`quantity("-1").sign()`, -1n],
    [`quantity("0").sign()`, 0n],
    [`quantity("1e3").asInteger()`, 1000n],
    [`quantity("500m").asApproximateFloat()`, 0.5],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('refuses an integer conversion that would lose the fraction', () => {
    expect(() => evaluateCel(`quantity("1.5").asInteger()`)).toThrow(/cannot convert value to integer/);
  });

  it('parses each text once and gives the same values past the bound of texts it keeps', () => {
    expect(parseQuantity('2Gi')).toBe(parseQuantity('2Gi'));
    for (let i = 0; i < 5000; i++)
      expect(parseQuantity(`${i}m`)).toEqual(Quantity.ofCompact({ value: BigInt(i), scale: -3 }));
    expect(parseQuantity('2Gi')).toEqual(Quantity.ofCompact({ value: 2n << 30n, scale: 0 }));
    expect(parseQuantity('200K')).toBe("unable to parse quantity's suffix");
  });

  // Kubernetes' own cases (quantity_test.go) and resource.Quantity's rules.
  it.each([
    [`quantity("50k").mul(2) == quantity("100000")`, true],
    [`quantity("10k").div(2) == quantity("5000")`, true],
    [`quantity("10000").div(3).asApproximateFloat()`, 3333.3333],
    [`quantity("10").div(4, 0) == quantity("3")`, true],
    [`quantity("10000").divInt(3) == quantity("3333")`, true],
    [`quantity("-10").divInt(3) == quantity("-3")`, true],
    [`quantity("50k").add(20).sub(quantity("100k")).sub(-50000).asInteger()`, 20n],
    // Below a nano a value is rounded up, away from zero.
    [`quantity("0.1n") == quantity("1n")`, true],
    [`quantity("-0.1n") == quantity("-1n")`, true],
    // A binary quantity is capped at the largest int64.
    [`quantity("99999999999999999999Ei") == quantity("9223372036854775807")`, true],
    // isInteger answers from how resource.Quantity stores the value, not from the value.
    [`quantity("1000m").isInteger()`, false],
    [`quantity("0.5k").isInteger()`, true],
    [`quantity("9999999999999999999").isInteger()`, false],
    [`quantity("1Ti").isInteger()`, true],
    [`quantity("1Ei").isInteger()`, false],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it.each([
    [`quantity("10Mo")`, /^quantities must match the regular expression/],
    [`quantity("10Mm")`, /^unable to parse quantity's suffix/],
    [`quantity("200K")`, /^unable to parse quantity's suffix/],
    [`quantity("1e")`, /^unable to parse quantity's suffix/],
    [`quantity("9999999999999999999999999999999999999G").asInteger()`, /^cannot convert value to integer/],
    [`quantity("10").div(0)`, /division by zero error/],
    [`quantity("10").divInt(0)`, /division by zero error/],
    [`quantity("10").div(3, 11)`, /^the valid range for roundVal is 0 to 10 but 11 was passed/],
  ])('%s fails as Kubernetes does', (expression, message) => {
    expect(() => evaluateCel(expression)).toThrow(message);
  });
});
