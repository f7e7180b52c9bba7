import { celError, celTypeName, isCelMap, isDuration, typeValueName, uintValue } from './cel-values.js';
import { fixedDigits, scientificDigits } from './decimal-digits.js';

/**
 * cel-go's `string.format(list)` (ext/formatting.go, the strings extension Kubernetes enables): clauses
 * `%s %d %f %e %x %X %o %b` with an optional precision (`%.3f`), `%%` for a percent sign. A clause the
 * value cannot take is an error naming both, as cel-go's are.
 */
export function formatTemplate(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  for (let at = 0; at < template.length; at++) {
    const char = template[at]!;
    if (char !== '%') {
      out += char;
      continue;
    }
    if (template[at + 1] === '%') {
      out += '%';
      at++;
      continue;
    }
    const clause = parseClause(template, at + 1);
    at = clause.end;
    if (next >= args.length) throw celError(`index ${next} out of range`);
    out += formatClause(clause.verb, clause.precision, args[next++]);
  }
  return out;
}

interface Clause {
  verb: string;
  precision: number | undefined;
  /** The index of the clause's last character. */
  end: number;
}

const VERBS = new Set(['s', 'd', 'f', 'e', 'x', 'X', 'o', 'b']);

/** More digits than any double has (a subnormal's exact expansion has 1,074 fractional digits). */
const MAX_PRECISION = 1100;

function parseClause(template: string, from: number): Clause {
  let at = from;
  let precision: number | undefined;
  if (template[at] === '.') {
    const digits = /^\d+/.exec(template.slice(at + 1))?.[0];
    if (!digits) throw clauseError('unable to convert precision specifier to integer');
    precision = Number(digits);
    // A hostile policy's `%.999999999f` would build a billion-digit number; cel-go has no bound of its own.
    if (precision > MAX_PRECISION) throw clauseError(`precision ${digits} is larger than ${MAX_PRECISION}`);
    at += 1 + digits.length;
  }
  const verb = template[at];
  if (verb === undefined) throw clauseError('unexpected end of format string');
  if (!VERBS.has(verb)) throw clauseError(`unrecognized formatting clause "${verb}"`);
  return { verb, precision, end: at };
}

function clauseError(message: string): Error {
  return celError(`could not parse formatting clause: ${message}`);
}

function formattingError(message: string, value: unknown): Error {
  return celError(`error during formatting: ${message}, was given ${celTypeName(value)}`);
}

function formatClause(verb: string, precision: number | undefined, value: unknown): string {
  switch (verb) {
    case 's':
      return stringClause(value);
    case 'd':
      return decimalClause(value);
    case 'f':
      return fixedDigits(
        floatArgument(value, 'fixed-point clause can only be used on doubles'),
        precision ?? 6,
      );
    case 'e':
      return scientificDigits(
        floatArgument(value, 'scientific clause can only be used on doubles'),
        precision ?? 6,
      );
    case 'x':
    case 'X': {
      const hex = hexClause(value);
      return verb === 'X' ? hex.toUpperCase() : hex;
    }
    case 'o':
      return integerArgument(value, 'octal clause can only be used on integers').toString(8);
    default:
      if (typeof value === 'boolean') return value ? '1' : '0';
      return integerArgument(value, 'only integers and bools can be formatted as binary').toString(2);
  }
}

/** An int or uint as a bigint; anything else is `message`'s error. */
function integerArgument(value: unknown, message: string): bigint {
  if (typeof value === 'bigint') return value;
  const uint = uintValue(value);
  if (uint !== undefined) return uint;
  throw formattingError(message, value);
}

/** `%d`: an int or uint; of doubles only NaN and the infinities, written out as cel-go writes them. */
function decimalClause(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return integerArgument(value, 'decimal clause can only be used on integers').toString();
}

/** `%f` and `%e` take doubles, and ints and uints as the double they are. */
function floatArgument(value: unknown, message: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const uint = uintValue(value);
  if (uint !== undefined) return Number(uint);
  throw formattingError(message, value);
}

function hexClause(value: unknown): string {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('hex');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  const integer = integerArgument(value, 'only integers, byte buffers, and strings can be formatted as hex');
  return integer < 0n ? `-${(-integer).toString(16)}` : integer.toString(16);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `%s`: scalars as their string conversion, lists and maps (keys in order) written out element by element. */
function stringClause(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (value === null) return 'null';
  if (value instanceof Uint8Array) {
    try {
      return utf8.decode(value);
    } catch {
      throw celError('invalid UTF-8 in bytes, cannot convert to string');
    }
  }
  if (value instanceof Date) return rfc3339(value);
  if (isDuration(value)) return String(value);
  const uint = uintValue(value);
  if (uint !== undefined) return uint.toString();
  const typeName = typeValueName(value);
  if (typeName !== undefined) return typeName;
  if (Array.isArray(value)) return `[${value.map(stringClause).join(', ')}]`;
  if (isCelMap(value)) {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    const written = entries.map(([key, item]) => [stringClause(key), stringClause(item)] as const);
    written.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${written.map(([key, item]) => `${key}: ${item}`).join(', ')}}`;
  }
  throw formattingError(
    'string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps',
    value,
  );
}

/** A timestamp as Go's RFC 3339 with nanoseconds writes it in UTC: no fraction when it is whole. */
function rfc3339(date: Date): string {
  return date
    .toISOString()
    .replace(/(\.\d*?)0+Z$/, '$1Z')
    .replace(/\.Z$/, 'Z');
}
