import { setFlagsFromString } from 'node:v8';

/**
 * Lets V8 finish every regular expression in time linear in its input: past 50,000 backtracks
 * (--regexp-backtracks-before-fallback) a match is run again on V8's breadth-first engine. Patterns
 * come from users' policies and rules (CEL's `matches`, which cel-js compiles with no flags) and the
 * text they run on from manifests and clusters: `^(a|aa)+$` on forty a's and a '!' backtracks for hours
 * otherwise, and the cost limit cannot interrupt one native match. The breadth-first engine takes what
 * RE2 takes (no backreferences, no lookaround) compiled without the `u` flag, and gives the same match.
 * V8 reads the flag when it runs a pattern, so setting it at start-up covers the whole process.
 */
export function linearTimeRegexps(): void {
  setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}
