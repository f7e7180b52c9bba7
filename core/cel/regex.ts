import type { CelLibrary } from './cel-library.js';
import { chargeRegex } from './library-cost.js';
import { compileRe2, findEvery, findFirst } from './re2-pattern.js';

// Kubernetes' regex library (k8s.io/apiserver/pkg/cel/library/regex.go): find and findAll.
// Known deviation: Kubernetes compiles a constant pattern when the program is built, so a bad
// literal pattern fails the policy's compilation there; here it fails when the call is evaluated,
// with the message Kubernetes gives a pattern computed at run time ("Illegal regex: …").

function findAll(text: string, pattern: string, limit: bigint): string[] {
  chargeRegex(text, pattern);
  const re = compileRe2(pattern);
  if (limit === 0n) return [];
  return findEvery(
    re,
    text,
    limit < 0n ? -1 : Number(limit > BigInt(text.length + 1) ? text.length + 1 : limit),
  );
}

export const regexLibrary: CelLibrary = {
  name: 'regex',
  register(env) {
    env
      .registerFunction('string.find(string): string', (text: string, pattern: string) => {
        chargeRegex(text, pattern);
        return findFirst(compileRe2(pattern), text) ?? '';
      })
      .registerFunction('string.findAll(string): list<string>', (text: string, pattern: string) =>
        findAll(text, pattern, -1n),
      )
      .registerFunction('string.findAll(string, int): list<string>', findAll);
  },
};
