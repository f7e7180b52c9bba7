import { celError } from './cel-values.js';
import { Re2SyntaxError, translateRe2 } from './re2-translate.js';

const cache = new Map<string, RegExp>();

/**
 * A JavaScript RegExp for an RE2 pattern (the regex dialect of CEL and of Kubernetes' find and
 * findAll). RE2 has no backreferences or lookaround: patterns using them are refused as Go's
 * parser refuses them, with its message after the library's "Illegal regex: ", so no pattern can
 * backtrack catastrophically on hostile input beyond what the cost limit already bounds.
 */
export function compileRe2(pattern: string, flags: string): RegExp {
  const key = `${flags}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  try {
    const translated = translateRe2(pattern);
    re = new RegExp(translated.source, `${flags}${[...new Set(translated.flags)].join('')}u`);
  } catch (error) {
    if (error instanceof Re2SyntaxError) throw celError(`Illegal regex: ${error.message}`);
    throw celError(`Illegal regex: ${(error as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}
