import type { RuleSet } from './rule-file.js';

/**
 * A loaded, validated rule set as JSON and back, for a runtime watcher in a process of its own: the parent
 * reads and validates the rule files (rule-file.ts: YAML and zod), the watcher process only compiles the
 * conditions, so it never loads the YAML parser or the schemas (≈ 13 MiB of RSS; docs/benchmarks.md,
 * Runtime sensors). The text comes from that parent, not from a user: its shape is checked, not re-validated.
 */
export function ruleSetToJson(set: RuleSet): string {
  return JSON.stringify({ lists: [...set.lists], macros: [...set.macros], rules: [...set.rules] });
}

export function ruleSetFromJson(text: string): RuleSet {
  const value = JSON.parse(text) as Record<string, unknown>;
  const entries = <T>(key: string) => {
    const list = value?.[key];
    if (
      !Array.isArray(list) ||
      !list.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')
    )
      throw new Error(`rule set JSON: ${key} is not a list of [name, value] pairs`);
    return new Map(list as Array<[string, T]>);
  };
  return {
    lists: entries<RuleSet['lists'] extends Map<string, infer V> ? V : never>('lists'),
    macros: entries<RuleSet['macros'] extends Map<string, infer V> ? V : never>('macros'),
    rules: entries<RuleSet['rules'] extends Map<string, infer V> ? V : never>('rules'),
  };
}
