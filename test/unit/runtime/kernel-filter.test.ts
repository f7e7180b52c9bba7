import { describe, expect, test } from '@jest/globals';
import { kernelFilter } from '../../../core/runtime/kernel-filter.js';
import { loadRuleSet, parseRuntimeRuleFile, type RuleSet } from '../../../core/runtime/rule-file.js';
import { builtinRuntimeRulesDir } from '../../../core/runtime/rules-dir.js';

function ruleSet(yaml: string): RuleSet {
  const file = parseRuntimeRuleFile('test.yaml', yaml);
  return {
    lists: new Map(file.lists.map((l) => [l.list, l.items])),
    macros: new Map(file.macros.map((m) => [m.macro, { condition: m.condition, source: 'test.yaml' }])),
    rules: new Map(file.rules.map((r) => [r.id, { ...r, source: 'test.yaml' }])),
  };
}

describe('rule set → kernel filter', () => {
  test('only the event kinds the rules test are watched (exec and exit always)', () => {
    const f = kernelFilter(
      ruleSet(`
macros:
  - macro: net
    condition: evt.type in ['connect', 'listen']
rules:
  - { id: a, description: a, severity: low, output: o, condition: "macros.net && net.remote_port == 4444" }
`),
    );
    expect(f.kinds).toEqual(['connect', 'exec', 'exit', 'listen']);
    expect(f.prefixes).toEqual([]);
  });

  test('a rule without an evt.type could match anything: every kind is on', () => {
    const f = kernelFilter(
      ruleSet(`rules: [{ id: a, description: a, severity: low, output: o, condition: "proc.uid == 0" }]`),
    );
    expect(f.kinds).toContain('open');
    expect(f.kinds).toContain('bpf');
    expect(f.prefixes).toEqual([{ prefix: '/', mode: 3 }]);
  });

  test('paths and write_paths become prefixes; a longer prefix carries the modes of the shorter ones', () => {
    const f = kernelFilter(
      ruleSet(`
lists:
  - { list: secrets, items: [/etc/shadow] }
rules:
  - { id: r, description: r, severity: low, output: o, condition: "evt.type == 'open'", paths: [lists.secrets] }
  - { id: w, description: w, severity: low, output: o, condition: "evt.type == 'open'", write_paths: [/etc/] }
`),
    );
    expect(f.prefixes).toEqual([
      { prefix: '/etc/', mode: 2 },
      { prefix: '/etc/shadow', mode: 3 },
    ]);
  });

  test('disabled rules add nothing', () => {
    const f = kernelFilter(
      ruleSet(
        `rules: [{ id: a, description: a, severity: low, output: o, enabled: false, condition: "evt.type == 'mount'" }]`,
      ),
    );
    expect(f.kinds).toEqual(['exec', 'exit']);
  });

  test('the built-in rules watch the token paths for reads and binary directories for writes only', async () => {
    const f = kernelFilter(await loadRuleSet([builtinRuntimeRulesDir()]));
    const mode = (p: string) => f.prefixes.find((x) => x.prefix === p)?.mode;
    expect(mode('/var/run/secrets/kubernetes.io/serviceaccount/')).toBe(3);
    expect(mode('/usr/bin/')).toBe(2);
    expect(f.prefixes.some((x) => x.prefix === '/')).toBe(false);
    expect(f.kinds).not.toContain('accept');
  });
});
