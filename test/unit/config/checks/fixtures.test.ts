import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { HARDENING_CHECKS } from '../../../../core/config/checks/index.js';
import { parseManifests } from '../../../../core/config/input/parse-manifests.js';
import { CONTEXT_KINDS } from '../../../../core/config/registry.js';
import { scanConfig } from '../../../../core/config/scan-config.js';
import { Suppressor } from '../../../../core/config/suppression.js';

const ROOT = 'test/fixtures/checks';
const now = new Date('2026-11-24T00:00:00Z');

const cases = readdirSync(ROOT).flatMap((check) =>
  readdirSync(join(ROOT, check)).map((file) => {
    const name = join(ROOT, check, file);
    const text = readFileSync(name, 'utf8');
    const expected = /^# expect-checks: (.*)$/m.exec(text)![1]!;
    return {
      label: `${check}/${file}`,
      name,
      text,
      expected: expected === 'none' ? [] : expected.split(', '),
    };
  }),
);

describe('hardening check fixtures', () => {
  it('has passing and failing fixtures for every check', () => {
    for (const check of HARDENING_CHECKS) {
      const fails = cases.some((c) => c.expected.includes(check.id));
      const passes = cases.some(
        (c) =>
          (c.name.includes(`/${check.id}/`) || c.name.includes('/compliant/')) &&
          !c.expected.includes(check.id),
      );
      expect({ id: check.id, fails, passes }).toEqual({ id: check.id, fails: true, passes: true });
    }
  });

  it.each(cases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const { objects, problems } = parseManifests({ name: c.name, text: c.text });
    expect(problems).toEqual([]);
    const result = scanConfig(objects, {
      checks: HARDENING_CHECKS,
      suppressor: new Suppressor([], now),
      contextKinds: CONTEXT_KINDS,
      now,
    });
    expect(result.problems).toEqual([]);
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual(c.expected);
  });
});
