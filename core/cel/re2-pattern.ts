import { celError } from './cel-values.js';

const cache = new Map<string, RegExp>();

/**
 * A JavaScript RegExp for an RE2 pattern (CEL's regex dialect). RE2 has no backreferences or
 * lookaround: patterns using them are refused as RE2 would refuse them, so no pattern can backtrack
 * catastrophically on hostile input beyond what the cost limit already bounds. RE2's `(?i)` flag
 * prefix is mapped to the RegExp flag.
 */
export function compileRe2(pattern: string, flags: string): RegExp {
  const key = `${flags}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  let source = pattern;
  let extra = '';
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    extra = [...new Set(inline[1])].join('');
  }
  if (/\\[1-9]|\(\?<?[=!]/.test(source))
    throw celError(`invalid regex ${JSON.stringify(pattern)}: not RE2 syntax`);
  try {
    re = new RegExp(source, `${flags}${extra}u`);
  } catch (error) {
    throw celError(`invalid regex ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}
