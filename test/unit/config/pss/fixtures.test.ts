import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { evaluatePodSecurity } from '../../../../core/config/pss/index.js';
import type { KubeObject } from '../../../../core/kube/types.js';

const ROOT = 'test/fixtures/pss';

// Each fixture is a real manifest whose header states the checks it must fire and the level it meets:
//   # expect-checks: pss-baseline-privileged, pss-restricted-seccomp   (or: none)
//   # expect-level: privileged | baseline | restricted
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
  it('has passing and failing fixtures for every control, in several workload kinds', () => {
    expect(cases.length).toBeGreaterThanOrEqual(240);
    expect(new Set(cases.map((c) => c.object.kind))).toEqual(
      new Set(['Pod', 'Deployment', 'CronJob', 'StatefulSet']),
    );
    expect(cases.some((c) => c.checks.length === 0)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s fires exactly its expected checks', (_name, c) => {
    const result = evaluatePodSecurity(c.object);
    const fired = [...new Set(result.violations.map((v) => v.check.id))].sort();
    expect({ checks: fired, level: result.level }).toEqual({ checks: c.checks, level: c.level });
  });

  it('roots every violation at the pod template and names the container of container-level ones', () => {
    for (const c of cases) {
      const result = evaluatePodSecurity(c.object);
      const specPath = result.pod?.specPath ?? [];
      for (const { violation } of result.violations) {
        const annotation = violation.path.includes('annotations');
        const root = annotation ? [...specPath.slice(0, -1), 'metadata'] : specPath;
        expect(violation.path.slice(0, root.length)).toEqual(root);
        const inContainer = ['containers', 'initContainers', 'ephemeralContainers'].includes(
          String(violation.path[specPath.length]),
        );
        if (inContainer) expect(typeof violation.container).toBe('string');
        expect(violation.evidence.length).toBeGreaterThan(10);
      }
    }
  });
});
