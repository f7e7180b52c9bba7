import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { z } from 'zod';
import { systemErrorMessage } from '../errors/system-error-message.js';
import { Severity } from '../model/index.js';

/**
 * The runtime rule file format: Falco's shape (lists, macros, rules with exceptions and an output
 * template) with Kubescape's habits (ids, severities, MITRE techniques), conditions in CEL.
 */
const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'lower-case letters, digits and dashes');
const Name = z.string().regex(/^[a-z_][a-z0-9_]{0,63}$/, 'a CEL identifier: lower-case letters, digits, _');
const Cel = z.string().min(1).max(4096);

export const RuntimeRuleSpec = z.object({
  id: Id,
  description: z.string().min(1),
  severity: Severity,
  condition: Cel,
  output: z.string().min(1).max(1024),
  enabled: z.boolean().default(true),
  exceptions: z.array(z.object({ name: z.string().min(1), condition: Cel })).default([]),
  mitre: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'a MITRE ATT&CK technique id like T1059.004'))
    .default([]),
  references: z.array(z.string().url()).default([]),
  remediation: z.string().optional(),
  tags: z.array(z.string()).default([]),
  /**
   * Path prefixes (or `lists.<name>`) whose opens, reads or writes, this rule looks at; `write_paths` those
   * whose writes it looks at. The eBPF sensor reports opens only under the union of all rules' prefixes; a
   * rule on `open` events that names none gets every open (docs/runtime-rules.md, "Kernel filter").
   */
  paths: z.array(z.string().min(1).max(4096)).optional(),
  write_paths: z.array(z.string().min(1).max(4096)).optional(),
});
export type RuntimeRuleSpec = z.infer<typeof RuntimeRuleSpec>;

const RuntimeRuleFile = z
  .object({
    /** Named lists of values, visible to conditions as `lists.<name>`. `append: true` extends an earlier one. */
    lists: z
      .array(
        z.object({
          list: Name,
          items: z.array(z.union([z.string(), z.number()])),
          append: z.boolean().default(false),
        }),
      )
      .default([]),
    /** Named conditions, visible as `macros.<name>` (a boolean); a macro may use the macros above it. */
    macros: z.array(z.object({ macro: Name, condition: Cel })).default([]),
    rules: z.array(RuntimeRuleSpec).default([]),
  })
  .strict();
type RuntimeRuleFile = z.infer<typeof RuntimeRuleFile>;

/** Everything the rule files say, merged: later files override lists, macros and rules by name/id. */
export interface RuleSet {
  lists: Map<string, Array<string | number>>;
  macros: Map<string, { condition: string; source: string }>;
  rules: Map<string, RuntimeRuleSpec & { source: string }>;
}

function emptyRuleSet(): RuleSet {
  return { lists: new Map(), macros: new Map(), rules: new Map() };
}

/** Parses one file's text; every problem names the file and, where there is one, the entry. */
export function parseRuntimeRuleFile(source: string, text: string): RuntimeRuleFile {
  if (text.length > 1 << 20) throw new Error(`${source}: rule file larger than 1 MiB`);
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: source });
  } catch (error) {
    throw new Error(`${source}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RuntimeRuleFile.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = describePath(value, issue.path);
    throw new Error(`${source}: ${at}: ${issue.message}`);
  }
  return parsed.data;
}

/** `rules[3] (id shell-in-container).condition` rather than `rules.3.condition`. */
function describePath(value: unknown, path: PropertyKey[]): string {
  if (path.length === 0) return 'top level';
  let text = String(path[0]);
  let node: unknown = (value as Record<PropertyKey, unknown>)?.[path[0]!];
  for (const key of path.slice(1)) {
    node = (node as Record<PropertyKey, unknown>)?.[key];
    if (typeof key === 'number') {
      const named = node as { id?: unknown; list?: unknown; macro?: unknown } | undefined;
      const label = named?.id ?? named?.list ?? named?.macro;
      text += `[${key}]${typeof label === 'string' ? ` (${label})` : ''}`;
    } else text += `.${String(key)}`;
  }
  return text;
}

function mergeRuleFile(set: RuleSet, file: RuntimeRuleFile, source: string): void {
  for (const l of file.lists)
    set.lists.set(l.list, l.append ? [...(set.lists.get(l.list) ?? []), ...l.items] : l.items);
  for (const m of file.macros) set.macros.set(m.macro, { condition: m.condition, source });
  for (const r of file.rules) set.rules.set(r.id, { ...r, source });
}

/** The built-in rules, then each directory's `*.yaml`/`*.yml` in name order (a ConfigMap mounted as a directory works too). */
export async function loadRuleSet(dirs: readonly string[]): Promise<RuleSet> {
  const set = emptyRuleSet();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      throw new Error(`rules directory ${dir}: ${systemErrorMessage(error)}`);
    }
    for (const name of names.filter((f) => /\.ya?ml$/.test(f) && !f.startsWith('.')).sort()) {
      const path = join(dir, name);
      mergeRuleFile(set, parseRuntimeRuleFile(path, await readFile(path, 'utf8')), path);
    }
  }
  return set;
}
