import { celEnv, isCelError, parse as parseCel, plan } from '@bufbuild/cel';
import { toCel } from '../cel/cel-value.js';
import type { RuleSet, RuntimeRuleSpec } from './rule-file.js';

/** The fields a condition sees: `proc`, `file`, `net`, `container`, `pod`, `image`, `evt`, `node`. */
export type RuleInput = Record<string, unknown>;

type Program = ReturnType<typeof plan>;

export interface CompiledRule extends RuntimeRuleSpec {
  source: string;
}

export interface RuleMatch {
  rule: CompiledRule;
  output: string;
}

const env = celEnv();
const MEMO_SIZE = 4096;

function compile(condition: string, where: string): Program {
  try {
    return plan(env, parseCel(condition));
  } catch (error) {
    throw new Error(`${where}: invalid CEL condition: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * Compiled runtime rules. Macros are evaluated once per event, in file order, and handed to conditions as
 * booleans (`macros.x`); lists are bound as `lists.x`. No text substitution: CEL parses each expression.
 */
export class RuleEngine {
  private readonly macros: Array<{ name: string; program: Program }>;
  private readonly rules: Array<{ rule: CompiledRule; program: Program; exceptions: Program[] }>;
  private readonly lists: Map<string, unknown>;

  /** The rule files as loaded: the eBPF sensor compiles its kernel filters from them (kernel-filter.ts). */
  readonly set: RuleSet;
  /** Matches by input without its pids; off when a condition reads a pid. */
  private readonly memo = new Map<string, CompiledRule[]>();
  /** Whether matches may be remembered: no condition reads a pid. */
  readonly memoizable: boolean;

  constructor(set: RuleSet) {
    this.set = set;
    this.lists = new Map([...set.lists].map(([k, v]) => [k, v]));
    this.macros = [...set.macros].map(([name, m]) => ({
      name,
      program: compile(m.condition, `${m.source}: macro ${name}`),
    }));
    this.rules = [...set.rules.values()]
      .filter((r) => r.enabled)
      .map((rule) => ({
        rule,
        program: compile(rule.condition, `${rule.source}: rule ${rule.id}`),
        exceptions: rule.exceptions.map((e) =>
          compile(e.condition, `${rule.source}: rule ${rule.id}: exception ${e.name}`),
        ),
      }));
    const conditions = [
      ...[...set.macros.values()].map((m) => m.condition),
      ...this.rules.flatMap((r) => [r.rule.condition, ...r.rule.exceptions.map((e) => e.condition)]),
    ];
    this.memoizable = !conditions.some((c) => /\bp?pid\b/.test(c));
  }

  get ruleIds(): string[] {
    return this.rules.map((r) => r.rule.id);
  }

  /** Every enabled rule the input matches. A condition that errors (a field absent here) does not match. */
  evaluate(input: RuleInput): RuleMatch[] {
    // A node execs the same commands over and over (probes, cron, shells in loops): the same input but for its
    // pids gives the same matches, so they are remembered (CEL here costs ≈ 0.5 ms an event; docs/benchmarks.md).
    const key = this.memoizable ? memoKey(input) : '';
    const remembered = key ? this.memo.get(key) : undefined;
    if (remembered) return remembered.map((rule) => ({ rule, output: renderOutput(rule.output, input) }));
    const matches = this.evaluateAll(input);
    if (key) {
      if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
      this.memo.set(
        key,
        matches.map((m) => m.rule),
      );
    }
    return matches;
  }

  private evaluateAll(input: RuleInput): RuleMatch[] {
    const activation: Record<string, unknown> = { lists: this.lists };
    for (const [k, v] of Object.entries(input)) activation[k] = toCel(v);
    // Macros are evaluated when a condition first reads them, once per event: most events stop at a rule's
    // first test (`evt.type == ...`), so most macros are never needed (docs/benchmarks.md, Runtime sensors).
    activation.macros = new LazyMacros(this.macros, activation);
    const matches: RuleMatch[] = [];
    for (const { rule, program, exceptions } of this.rules) {
      const result = program(activation as never);
      if (isCelError(result) || result !== true) continue;
      if (exceptions.some((e) => e(activation as never) === true)) continue;
      matches.push({ rule, output: renderOutput(rule.output, input) });
    }
    return matches;
  }
}

/**
 * The input as text without its pids (rule-input.ts puts them in `proc` only). Without a JSON.stringify
 * replacer, which costs a call per field of every event.
 */
function memoKey(input: RuleInput): string {
  const proc = input.proc as { pid?: unknown; ppid?: unknown } | undefined;
  if (!proc) return JSON.stringify(input);
  const { pid, ppid } = proc;
  proc.pid = undefined;
  proc.ppid = undefined;
  try {
    return JSON.stringify(input);
  } finally {
    proc.pid = pid;
    proc.ppid = ppid;
  }
}

/** `{proc.cmdline}` → the field's value from the input; unknown fields render as `<NA>` (as Falco does). */
function renderOutput(template: string, input: RuleInput): string {
  return template.replace(/\{([a-z_]+(?:\.[a-z_]+)*)\}/g, (_, path: string) => {
    let value: unknown = input;
    for (const key of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    if (value === undefined || value === null || value === '') return '<NA>';
    return Array.isArray(value) ? value.join(',') : String(value);
  });
}

/** `macros.<name>` for one event: each computed on first read, then remembered. */
class LazyMacros extends Map<string, boolean> {
  private readonly programs: Map<string, Program>;

  constructor(
    macros: ReadonlyArray<{ name: string; program: Program }>,
    private readonly activation: Record<string, unknown>,
  ) {
    super();
    this.programs = new Map(macros.map((m) => [m.name, m.program]));
  }

  override has(name: string): boolean {
    return this.programs.has(name);
  }

  override get(name: string): boolean | undefined {
    if (super.has(name)) return super.get(name);
    const program = this.programs.get(name);
    if (!program) return undefined;
    const value = program(this.activation as never) === true;
    super.set(name, value);
    return value;
  }
}
