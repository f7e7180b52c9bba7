import { SENSOR_KINDS, type SensorKind } from './ebpf-record.js';
import type { RuleSet } from './rule-file.js';

/** What the eBPF sensor's filter maps are filled with (core/runtime/native/bpf/sensor.bpf.c). */
export interface KernelFilter {
  /** Event kinds some enabled rule can match; exec and exit are always on (the process table needs them). */
  kinds: SensorKind[];
  /** Open paths the kernel reports: mode 1 reads, 2 writes, 3 both (sensor.h `enum prefix_mode`). */
  prefixes: Array<{ prefix: string; mode: number }>;
}

const PREFIX_CAP = 128;
const READ = 1;
const WRITE = 2;
/** evt.type values that are not sensor kinds, and the kind that feeds them. */
const TYPE_TO_KIND: Record<string, SensorKind> = { snapshot: 'exec' };

/** Literal evt.type values a condition tests (`evt.type == 'x'`, `evt.type in ['x', 'y']`); undefined: none. */
function eventTypes(condition: string): string[] | undefined {
  const found: string[] = [];
  for (const m of condition.matchAll(/evt\.type\s*==\s*['"]([a-z_]+)['"]/g)) found.push(m[1]!);
  for (const m of condition.matchAll(/evt\.type\s+in\s*\[([^\]]*)\]/g))
    for (const q of m[1]!.matchAll(/['"]([a-z_]+)['"]/g)) found.push(q[1]!);
  return found.length ? found : undefined;
}

/** The rule's condition with every macro it uses, transitively (macros may use the macros above them). */
function expanded(condition: string, set: RuleSet, seen = new Set<string>()): string {
  let text = condition;
  for (const m of condition.matchAll(/macros\.([a-z_][a-z0-9_]*)/g)) {
    const name = m[1]!;
    const macro = set.macros.get(name);
    if (!macro || seen.has(name)) continue;
    seen.add(name);
    text += `\n${expanded(macro.condition, set, seen)}`;
  }
  return text;
}

function resolvePrefixes(entries: readonly string[], set: RuleSet): string[] {
  return entries.flatMap((e) => {
    const list = /^lists\.([a-z_][a-z0-9_]*)$/.exec(e);
    if (!list) return [e];
    return (set.lists.get(list[1]!) ?? []).filter((i): i is string => typeof i === 'string');
  });
}

/**
 * Compiles the enabled rules into the kernel's filters: which syscalls to watch and which open paths to
 * report. A rule whose condition names no evt.type could match any event, so it turns every kind on.
 */
export function kernelFilter(set: RuleSet): KernelFilter {
  const kinds = new Set<SensorKind>(['exec', 'exit']);
  const prefixes = new Map<string, number>();
  for (const rule of set.rules.values()) {
    if (!rule.enabled) continue;
    const types = eventTypes(expanded(rule.condition, set));
    const ruleKinds = types
      ? types.map((t) => TYPE_TO_KIND[t] ?? (SENSOR_KINDS as readonly string[]).find((k) => k === t))
      : [...SENSOR_KINDS];
    for (const k of ruleKinds) if (k) kinds.add(k as SensorKind);
    if (!ruleKinds.includes('open')) continue;
    const add = (prefix: string, mode: number) => {
      const p = prefix.slice(0, PREFIX_CAP);
      prefixes.set(p, (prefixes.get(p) ?? 0) | mode);
    };
    if (!rule.paths && !rule.write_paths) add('/', READ | WRITE);
    for (const p of resolvePrefixes(rule.paths ?? [], set)) add(p, READ | WRITE);
    for (const p of resolvePrefixes(rule.write_paths ?? [], set)) add(p, WRITE);
  }
  // The kernel's trie answers with the longest matching prefix only: it must carry the modes of the shorter
  // prefixes above it (a write under /etc/ stays reported when /etc/shadow is watched for reads too).
  for (const [p, mode] of prefixes)
    for (const [q, other] of prefixes) if (q !== p && p.startsWith(q)) prefixes.set(p, mode | other);
  return {
    kinds: [...kinds].sort(),
    prefixes: [...prefixes]
      .map(([prefix, mode]) => ({ prefix, mode }))
      .sort((a, b) => a.prefix.localeCompare(b.prefix)),
  };
}
