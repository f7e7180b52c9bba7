import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';
import { chargeStringScan } from './library-cost.js';
import { formatTemplate } from './string-format.js';

// The parts of cel-go's strings extension (ext.Strings, version 2 as Kubernetes enables it) that
// cel-js does not already have: charAt, replace, reverse, strings.quote and format (string-format.ts).
// Indexes count code points, as cel-go does.
//
// The rest are cel-js 8's own built-ins, which an environment cannot replace (a second overload of the
// same signature is refused), and which differ from cel-go at the edges: lowerAscii/upperAscii change
// non-ASCII letters too ('Æ' → 'æ'); trim uses JavaScript's whitespace set (it strips U+FEFF and keeps
// U+0085); indexOf, lastIndexOf and substring count UTF-16 units, not code points, past the BMP; and
// their out-of-range errors are worded differently; `matches` compiles its pattern as a JavaScript
// RegExp, not RE2 (Kubernetes' find/findAll, regex.ts, run on RE2 itself). ASCII manifests and
// patterns both dialects share, the usual case, are unaffected.

function replace(text: string, from: string, to: string, limit: bigint): string {
  chargeStringScan(text);
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
      .registerFunction('string.format(list<dyn>): string', (s: string, args: unknown[]) =>
        formatTemplate(s, args),
      );
  },
};
