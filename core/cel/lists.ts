import { chargeSize } from './cel-cost.js';
import type { CelLibrary } from './cel-library.js';
import { celEquals, celError, compareCel } from './cel-values.js';

// Kubernetes' lists library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, sum, min, max,
// indexOf, lastIndexOf on lists of comparable (or summable) elements.

function sum(list: readonly unknown[]): unknown {
  chargeSize(list.length);
  if (list.length === 0) return 0n; // `[].sum()` is 0 (an int), per the library's documentation.
  let total = list[0];
  for (const value of list.slice(1)) {
    if (typeof total === 'bigint' && typeof value === 'bigint') total = total + value;
    else if (typeof total === 'number' && typeof value === 'number') total = total + value;
    else throw celError('sum() requires a list of int, uint, double or duration of one type');
  }
  return total;
}

function extreme(list: readonly unknown[], sign: 1 | -1, name: string): unknown {
  chargeSize(list.length);
  if (list.length === 0) throw celError(`${name}(list) argument must not be empty`);
  let best = list[0];
  for (const value of list.slice(1)) if (compareCel(value, best) * sign > 0) best = value;
  return best;
}

function isSorted(list: readonly unknown[]): boolean {
  chargeSize(list.length);
  for (let i = 1; i < list.length; i++) if (compareCel(list[i - 1], list[i]) > 0) return false;
  return true;
}

export const listsLibrary: CelLibrary = {
  name: 'lists',
  register(env) {
    env
      .registerFunction('list<dyn>.isSorted(): bool', (list: unknown[]) => isSorted(list))
      .registerFunction('list<dyn>.sum(): dyn', (list: unknown[]) => sum(list))
      .registerFunction('list<dyn>.min(): dyn', (list: unknown[]) => extreme(list, -1, 'min'))
      .registerFunction('list<dyn>.max(): dyn', (list: unknown[]) => extreme(list, 1, 'max'))
      .registerFunction('list<dyn>.indexOf(dyn): int', (list: unknown[], value: unknown) => {
        chargeSize(list.length);
        return BigInt(list.findIndex((v) => celEquals(v, value)));
      })
      .registerFunction('list<dyn>.lastIndexOf(dyn): int', (list: unknown[], value: unknown) => {
        chargeSize(list.length);
        return BigInt(list.findLastIndex((v) => celEquals(v, value)));
      });
  },
};
