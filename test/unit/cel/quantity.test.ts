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
    [`isQuantity("Mi")`, false],
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
    expect(() => evaluateCel(`quantity("1.5").asInteger()`)).toThrow(/not an integer/);
    expect(() => evaluateCel(`quantity("200K")`)).toThrow(/quantities must match/);
  });

  it('parses each text once and gives the same values past the bound of texts it keeps', () => {
    expect(parseQuantity('2Gi')).toBe(parseQuantity('2Gi'));
    for (let i = 0; i < 5000; i++) expect(parseQuantity(`${i}m`)).toEqual(new Quantity(BigInt(i), 1000n));
    expect(parseQuantity('2Gi')).toEqual(new Quantity(2n << 30n, 1n));
    expect(parseQuantity('200K')).toBeUndefined();
    expect(parseQuantity('200K')).toBeUndefined();
  });
});
