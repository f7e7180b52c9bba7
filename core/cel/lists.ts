import { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from './cel-library.js';
import { celEquals, celError, compareCel, isDuration, uintValue } from './cel-values.js';
import { chargeTraversal } from './library-cost.js';

// Kubernetes' lists library (k8s.io/apiserver/pkg/cel/library/lists.go): isSorted, min and max for
// lists of a comparable type, sum for lists of a summable type, indexOf and lastIndexOf for any list.
// The library declares one overload per element type, so a list of lists or maps is a type error at
// check time, as it is in Kubernetes. cel-go types a call on a list<dyn> as dyn (every overload
// matches); cel-js would take the first overload's result type, so sum, min and max are declared
// dyn and answer from what the list holds.

const COMPARABLE = ['int', 'uint', 'double', 'bool', 'duration', 'timestamp', 'string', 'bytes'] as const;
const SUMMABLE = ['int', 'uint', 'double', 'duration'] as const;
type Summable = (typeof SUMMABLE)[number];

/** cel-js names durations and timestamps by their protobuf types. */
const CEL_JS_TYPE: Record<string, string> = {
  duration: 'google.protobuf.Duration',
  timestamp: 'google.protobuf.Timestamp',
};
const typeName = (t: string) => CEL_JS_TYPE[t] ?? t;

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

// cel-js keeps its uint and duration classes to itself; its own values lend their constructors.
const probe = new Environment();
type UintClass = new (value: bigint) => unknown;
type DurationClass = new (seconds: bigint, nanos: number) => unknown;
const Uint = (probe.evaluate('0u') as object).constructor as UintClass;
const Duration = (probe.evaluate('duration("0s")') as object).constructor as DurationClass;

function durationNanos(value: unknown): bigint {
  if (!isDuration(value)) throw celError('no such overload: sum() of a non-duration');
  return value.seconds * 1_000_000_000n + BigInt(value.nanos);
}

/** What a list's first element is; a list<dyn> reaches the first overload whatever it holds. */
function elementType(value: unknown): Summable | undefined {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (uintValue(value) !== undefined) return 'uint';
  return isDuration(value) ? 'duration' : undefined;
}

/**
 * The sum as cel-go's Adder makes it, of the type the elements have (the overload's type when the
 * list is empty); int and uint overflow are errors.
 */
function sum(list: readonly unknown[], declared: Summable): unknown {
  chargeTraversal(list);
  const type = list.length === 0 ? declared : elementType(list[0]);
  if (!type) throw celError('no such overload: sum() of a list of non-numbers');
  if (type === 'double')
    return list.reduce<number>((total, v) => {
      if (typeof v !== 'number')
        throw celError('no such overload: sum() of a list of double and another type');
      return total + v;
    }, 0);
  if (type === 'duration') {
    const nanos = list.reduce<bigint>((total, v) => total + durationNanos(v), 0n);
    return new Duration(nanos / 1_000_000_000n, Number(nanos % 1_000_000_000n));
  }
  const read = type === 'uint' ? (v: unknown) => uintValue(v) : (v: unknown) => v;
  let total = 0n;
  for (const value of list) {
    const n = read(value);
    if (typeof n !== 'bigint')
      throw celError(`no such overload: sum() of list<${type}> holding another type`);
    total += n;
    if (type === 'int' && (total > INT64_MAX || total < INT64_MIN)) throw celError('integer overflow');
    if (type === 'uint' && total > UINT64_MAX) throw celError('unsigned integer overflow');
  }
  return type === 'uint' ? new Uint(total) : total;
}

function extreme(list: readonly unknown[], sign: 1 | -1, name: 'min' | 'max'): unknown {
  chargeTraversal(list);
  if (list.length === 0) throw celError(`${name} called on empty list`);
  let best = list[0];
  for (const value of list.slice(1)) if (compareCel(value, best) * sign > 0) best = value;
  return best;
}

function isSorted(list: readonly unknown[]): boolean {
  chargeTraversal(list);
  for (let i = 1; i < list.length; i++) if (compareCel(list[i - 1], list[i]) > 0) return false;
  return true;
}

export const listsLibrary: CelLibrary = {
  name: 'lists',
  register(env) {
    for (const t of COMPARABLE.map(typeName))
      env
        .registerFunction(`list<${t}>.isSorted(): bool`, (list: unknown[]) => isSorted(list))
        .registerFunction(`list<${t}>.min(): dyn`, (list: unknown[]) => extreme(list, -1, 'min'))
        .registerFunction(`list<${t}>.max(): dyn`, (list: unknown[]) => extreme(list, 1, 'max'));
    for (const t of SUMMABLE)
      env.registerFunction(`list<${typeName(t)}>.sum(): dyn`, (list: unknown[]) => sum(list, t));
    env
      .registerFunction('list<A>.indexOf(A): int', (list: unknown[], value: unknown) => {
        chargeTraversal(list);
        return BigInt(list.findIndex((v) => celEquals(v, value)));
      })
      .registerFunction('list<A>.lastIndexOf(A): int', (list: unknown[], value: unknown) => {
        chargeTraversal(list);
        return BigInt(list.findLastIndex((v) => celEquals(v, value)));
      });
  },
};
