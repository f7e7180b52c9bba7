import type { CelLibrary } from './cel-library.js';
import { chargeRegex } from './library-cost.js';
import { compileRe2 } from './re2-pattern.js';

// Kubernetes' regex library (k8s.io/apiserver/pkg/cel/library/regex.go): find and findAll.
// Known deviation: Kubernetes compiles a constant pattern when the program is built, so a bad
// literal pattern fails the policy's compilation there; here it fails when the call is evaluated,
// with the message Kubernetes gives a pattern computed at run time ("Illegal regex: …").

/**
 * Go's FindAllString: successive non-overlapping matches, where an empty match right where the
 * previous match ended is skipped (JavaScript's matchAll keeps it); at most `limit` when ≥ 0.
 */
function findAll(text: string, pattern: string, limit: bigint): string[] {
  chargeRegex(text, pattern);
  const re = compileRe2(pattern, 'g');
  const found: string[] = [];
  if (limit === 0n) return found;
  let previousEnd = -1;
  for (const match of text.matchAll(re)) {
    const end = match.index + match[0].length;
    if (match[0] === '' && match.index === previousEnd) continue;
    previousEnd = end;
    found.push(match[0]);
    if (limit > 0n && BigInt(found.length) >= limit) break;
  }
  return found;
}

export const regexLibrary: CelLibrary = {
  name: 'regex',
  register(env) {
    env
      .registerFunction('string.find(string): string', (text: string, pattern: string) => {
        chargeRegex(text, pattern);
        return compileRe2(pattern, '').exec(text)?.[0] ?? '';
      })
      .registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) =>
        findAll(text, pattern, -1n),
      )
      .registerFunction('string.findAll(string, int): list<string>', findAll);
  },
};
