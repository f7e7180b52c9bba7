import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { evaluatePodSecurity } from '../../../../core/config/pss/index.js';
import type { KubeObject } from '../../../../core/kube/types.js';

const ROOT = 'test/fixtures/pss';

// Each fixture states in its header which controls it must fail and the Pod Security level it meets.
function loadCases() {
  return readdirSync(ROOT).flatMap((control) =>
    readdirSync(join(ROOT, control)).map((file) => {
      const text = readFileSync(join(ROOT, control, file), 'utf8');
      const checks = /^# expect-checks: (.*)$/m.exec(text)![1]!;
      const level = /^# expect-level: (.*)$/m.exec(text)![1]!;
      return {
        name: `${control}/${file}`,
        object: parse(text) as KubeObject,
        checks: checks === 'none' ? [] : checks.split(', '),
        level,
      };
    }),
  );
}

const cases = loadCases();

describe('Pod Security Standards fixtures', () => {
  it('has fixtures for every control', () => {
    expect(cases.length).toBeGreaterThanOrEqual(130);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = evaluatePodSecurity(c.object)!;
    const fired = [...new Set(result.violations.map((v) => v.check.id))].sort();
    expect({ checks: fired, level: result.level }).toEqual({ checks: c.checks, level: c.level });
  });
});
