import { describe, expect, it } from '@jest/globals';
import { metered } from '../../../core/cel/cel-cost.js';
import { kubernetesCelEnv } from '../../../core/cel/kubernetes-cel-env.js';

const env = kubernetesCelEnv([]);

/** What the library functions of `expression` charge (the nodes' own units are counted elsewhere). */
function libraryCost(expression: string): number {
  const program = env.parse(expression);
  const account = { spent: 0 };
  metered(Number.POSITIVE_INFINITY, { run: () => program({}) }, undefined, account);
  return account.spent;
}

// Kubernetes' runtime call costs (k8s.io/apiserver/pkg/cel/library/cost.go, CallCost).
describe('library call costs', () => {
  it.each([
    // ⌈(1 + 10) × 0.1⌉ × ⌈6 × 0.25⌉
    ['"0123456789".find("[0-9]+")', 4],
    ['"0123456789".findAll("[0-9]+")', 4],
    // one unit per element traversed; a string element costs ⌊bytes × 0.1⌋
    ['[1, 2, 3, 4, 5].sum()', 5],
    ['["aaaaaaaaaaaaaaaaaaaa", "b"].isSorted()', 2],
    ['[1, 2, 3].indexOf(2)', 3],
    // a parse of the string argument: ⌈code points × 0.1⌉, twice for ip.isCanonical
    ['url("https://example.com/a/b/c")', 3],
    ['quantity("1234567890Mi")', 2],
    ['isQuantity("1234567890Mi")', 2],
    ['ip("2001:db8::68")', 2],
    ['ip.isCanonical("2001:db8::68")', 3],
    ['cidr("10.0.0.0/8")', 1],
  ])('%s costs %d', (expression, cost) => {
    expect(libraryCost(expression)).toBe(cost);
  });
});
