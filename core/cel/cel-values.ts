import { EvaluationError } from '@marcbachmann/cel-js';

/** An error raised inside a library function: cel-js reports it with the expression's position. */
export function celError(message: string): EvaluationError {
  return new EvaluationError(message);
}

/**
 * Orders two CEL values of the same type the way CEL's `<` does (int, uint, double, string, bytes,
 * bool, duration, timestamp); -1, 0 or 1. Values of different types have no order: an error.
 */
export function compareCel(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (isDuration(a) && isDuration(b)) {
    const [x, y] = [durationNanos(a), durationNanos(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw celError(`no such overload: comparison of ${celTypeName(a)} and ${celTypeName(b)}`);
}

/** cel-js's google.protobuf.Duration (its class is not exported): seconds and nanos. */
interface CelDuration {
  seconds: bigint;
  nanos: number;
}

export function isDuration(value: unknown): value is CelDuration {
  return value?.constructor?.name === 'Duration' && typeof (value as CelDuration).seconds === 'bigint';
}

function durationNanos(d: CelDuration): bigint {
  return d.seconds * 1_000_000_000n + BigInt(d.nanos);
}

/** cel-js's uint (class UnsignedInt, not exported): the value as a bigint. */
export function uintValue(value: unknown): bigint | undefined {
  if (value?.constructor?.name !== 'UnsignedInt') return undefined;
  const held = (value as { value: unknown }).value;
  return typeof held === 'bigint' ? held : undefined;
}

/** cel-js's type values (class Type, not exported): the type's CEL name. */
export function typeValueName(value: unknown): string | undefined {
  if (value?.constructor?.name !== 'Type') return undefined;
  const name = (value as { name: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** A CEL map as cel-js gives it: a Map, or a plain object (string keys). */
export function isCelMap(value: unknown): value is Map<unknown, unknown> | Record<string, unknown> {
  return value instanceof Map || isPlainObject(value);
}

/** The CEL type name of a value, as cel-go's error messages write it. */
export function celTypeName(value: unknown): string {
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value === null) return 'null_type';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Date) return 'google.protobuf.Timestamp';
  if (isDuration(value)) return 'google.protobuf.Duration';
  if (uintValue(value) !== undefined) return 'uint';
  if (typeValueName(value) !== undefined) return 'type';
  if (isCelMap(value)) return 'map';
  if (value?.constructor?.name === 'Optional') return 'optional_type';
  return (value as object)?.constructor?.name ?? typeof value;
}

/** CEL equality of plain values for list searches (indexOf): numbers of different kinds compare by value. */
export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number'))
    return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => celEquals(x, b[i]));
  if (a instanceof Map && b instanceof Map)
    return a.size === b.size && [...a].every(([k, v]) => b.has(k) && celEquals(v, b.get(k)));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && celEquals(a[k], b[k]));
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
