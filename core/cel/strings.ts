import { chargeSize } from './cel-cost.js';
import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';

// The parts of cel-go's strings extension (ext.Strings, version 2 as Kubernetes enables it) that
// cel-js does not already have: charAt, replace, reverse, strings.quote and format. Indexes count
// code points, as cel-go does.

function replace(text: string, from: string, to: string, limit: bigint): string {
  chargeSize(text.length);
  if (limit === 0n) return text;
  const parts = text.split(from);
  if (limit < 0n || BigInt(parts.length - 1) <= limit) return parts.join(to);
  const n = Number(limit);
  return parts.slice(0, n + 1).join(to) + from + parts.slice(n + 1).join(from);
}

function charAt(text: string, index: bigint): string {
  const chars = [...text];
  if (index < 0n || index > BigInt(chars.length)) throw celError(`index out of range: ${index}`);
  return chars[Number(index)] ?? '';
}

function quote(text: string): string {
  return `"${[...text].map((c) => QUOTE_ESCAPES[c] ?? c).join('')}"`;
}

const QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** cel-go's string.format: %s %d %f %e %x %X %o %b and %%; precision like %.2f. */
function format(template: string, args: readonly unknown[]): string {
  let next = 0;
  return template.replace(/%(\.\d+)?([sdfeExXob%])/g, (_, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) throw celError(`index ${next} out of range`);
    const arg = args[next++];
    const digits = precision ? Number(precision.slice(1)) : 6;
    switch (verb) {
      case 's':
        return formatString(arg);
      case 'd':
        if (typeof arg !== 'bigint') throw celError('decimal clause can only be used on integers');
        return arg.toString();
      case 'f':
        return Number(arg).toFixed(digits);
      case 'e':
      case 'E': {
        const s = Number(arg)
          .toExponential(digits)
          .replace(/e([+-])(\d)$/, 'e$10$2');
        return verb === 'E' ? s.toUpperCase() : s;
      }
      case 'x':
      case 'X': {
        const s =
          typeof arg === 'string' ? Buffer.from(arg).toString('hex') : BigInt(arg as bigint).toString(16);
        return verb === 'X' ? s.toUpperCase() : s;
      }
      case 'o':
        return BigInt(arg as bigint).toString(8);
      default:
        return BigInt(arg as bigint).toString(2);
    }
  });
}

function formatString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatString).join(', ')}]`;
  if (value instanceof Map)
    return `{${[...value].map(([k, v]) => `${formatString(k)}: ${formatString(v)}`).join(', ')}}`;
  if (value === null) return 'null';
  return String(value);
}

class StringsNamespace {}

export const stringsLibrary: CelLibrary = {
  name: 'strings',
  register(env) {
    env
      .registerType('kubernetes.StringsNamespace', StringsNamespace)
      .registerConstant('strings', 'kubernetes.StringsNamespace', new StringsNamespace())
      .registerFunction(
        'kubernetes.StringsNamespace.quote(string): string',
        (_: StringsNamespace, s: string) => quote(s),
      )
      .registerFunction('string.charAt(int): string', charAt)
      .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
        replace(s, a, b, -1n),
      )
      .registerFunction('string.replace(string, string, int): string', replace)
      .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
      .registerFunction('string.format(list<dyn>): string', (s: string, args: unknown[]) => format(s, args));
  },
};
