import { RE2JS } from 're2js';
import { celError } from './cel-values.js';

const cache = new Map<string, RE2JS>();
const CACHED = 1000;

/**
 * An RE2 pattern (the regex dialect of CEL and of Kubernetes' find and findAll) compiled by re2js, a
 * port of RE2: Go's syntax and matching, its parser's errors after the library's "Illegal regex: ",
 * and matching in time linear in the text — a pattern from a policy runs on text from manifests, and
 * a backtracking engine can take hours on one hostile value (`^(a|aa)+$`) that the cost limit cannot
 * interrupt.
 */
export function compileRe2(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    throw celError(`Illegal regex: ${(error as Error).message}`);
  }
  if (cache.size >= CACHED) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** The leftmost-first match of `re` in `text` (Go's FindString), or undefined. */
export function findFirst(re: RE2JS, text: string): string | undefined {
  const matcher = re.matcher(text);
  return matcher.find() ? (matcher.group() ?? '') : undefined;
}

/**
 * Go's FindAllString: successive non-overlapping matches, each searched from where the last ended
 * (with the text before it as context for `^` and `\b`); an empty match right where the previous
 * match ended is skipped, and after an empty match the search moves on one character. At most
 * `limit` matches when it is not negative.
 */
export function findEvery(re: RE2JS, text: string, limit: number): string[] {
  const found: string[] = [];
  const matcher = re.matcher(text);
  let previousEnd = -1;
  for (let at = 0; at <= text.length && (limit < 0 || found.length < limit); ) {
    if (!matcher.find(at)) break;
    const start = matcher.start();
    const end = matcher.end();
    const empty = end === start;
    if (!(empty && start === previousEnd)) found.push(matcher.group() ?? '');
    previousEnd = end;
    at = empty ? end + charWidth(text, end) : end;
  }
  return found;
}

/** 2 for a surrogate pair at `at` (one code point), else 1. */
function charWidth(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff && at + 1 < text.length ? 2 : 1;
}
