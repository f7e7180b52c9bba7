import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { celEnv, isCelError, parse as parseCel, plan } from '@bufbuild/cel';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { resourcePath } from '../build/resource-root.js';
import { toCel } from '../cel/cel-value.js';

const RuleSpec = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  description: z.string().min(1),
  on: z.enum(['finding', 'event']),
  condition: z.string().min(1),
  actions: z.array(z.object({ job: z.enum(['image', 'host', 'runtime']) })).min(1),
});
const RuleFile = z.object({ rules: z.array(RuleSpec) });
export type RuleSpec = z.infer<typeof RuleSpec>;

export interface FeedbackRule extends RuleSpec {
  source: string;
  matches(input: Record<string, unknown>): boolean;
}

/**
 * The top-level fields a condition reads (`finding.scanner`, `has(finding.resource.node)` → scanner,
 * resource), so only those are converted for CEL: evidence, references and package stay out of the
 * work for rules that never look at them. A condition that reads its input any other way (`finding["x"]`,
 * the whole `finding`) gets every field.
 */
function fieldsRead(on: string, condition: string): ReadonlySet<string> | undefined {
  const fields = new Set<string>();
  const uses = new RegExp(`\\b${on}\\b(\\.[A-Za-z_][A-Za-z0-9_]*)?`, 'g');
  for (const match of condition.matchAll(uses)) {
    if (!match[1]) return undefined;
    fields.add(match[1].slice(1));
  }
  return fields;
}

function celInput(input: Record<string, unknown>, fields: ReadonlySet<string> | undefined): unknown {
  if (!fields) return toCel(input);
  const map = new Map<string, unknown>();
  for (const field of fields) if (input[field] !== undefined) map.set(field, toCel(input[field]));
  return map;
}

const env = celEnv();

function compile(spec: RuleSpec, source: string): FeedbackRule {
  let program: ReturnType<typeof plan>;
  try {
    program = plan(env, parseCel(spec.condition));
  } catch (error) {
    throw new Error(`${source}: rule ${spec.id}: invalid CEL condition: ${(error as Error).message}`);
  }
  const fields = fieldsRead(spec.on, spec.condition);
  return {
    ...spec,
    source,
    matches(input) {
      const result = program({ [spec.on]: celInput(input, fields) } as never);
      // A condition that errors (a field missing from this finding) does not match: rules stay quiet, never crash.
      return !isCelError(result) && result === true;
    },
  };
}

/** Rules from YAML text; every problem names the file, and the rule where there is one. */
export function parseRuleFile(source: string, text: string): FeedbackRule[] {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`${source}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RuleFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${source}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid rule file'}`,
    );
  }
  return parsed.data.rules.map((rule) => compile(rule, source));
}

/** The built-in rules, then each directory's `*.yaml` in order; a later rule with the same id replaces an earlier one. */
export async function loadFeedbackRules(dirs: readonly string[]): Promise<FeedbackRule[]> {
  const byId = new Map<string, FeedbackRule>();
  for (const dir of dirs) {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
    for (const file of files)
      for (const rule of parseRuleFile(join(dir, file), await readFile(join(dir, file), 'utf8')))
        byId.set(rule.id, rule);
  }
  return [...byId.values()];
}

/**
 * Where the built-in rule files are: `core/feedback/rules` of the package (rules are data, shipped as
 * YAML, not compiled), found by the resource locator in source, dist/ and the single executable.
 */
export function builtinRulesDir(): string {
  return resourcePath('core/feedback/rules');
}
