import { type PodTemplate, podTemplateOf } from '../kube/pod-template.js';
import type { KubeObject } from '../kube/types.js';
import {
  type Finding,
  fingerprint,
  type InputProblem,
  type PodSecurityLevel,
  type ReportResource,
  type ResourceRef,
} from '../model/index.js';
import type { ConfigCheck, ObjectCheck, PodCheck, PssLevel, Violation } from './check.js';
import type { ObjectPath } from './input/parse-manifests.js';
import { buildInventory } from './inventory.js';
import { podSecurityLevel } from './pss/index.js';
import type { Suppressor } from './suppression.js';

/** An object to scan, with where it came from when it came from a file. */
export interface ScanObject {
  object: KubeObject;
  file?: string;
  line?: number;
  locate?(path: ObjectPath): number;
}

export interface ConfigScanResult {
  findings: Finding[];
  resources: ReportResource[];
  problems: InputProblem[];
  skippedKinds: Record<string, number>;
}

export interface ConfigScanOptions {
  checks: readonly ConfigCheck[];
  suppressor: Suppressor;
  /** Kinds read only as context for checks (NetworkPolicy, Namespace…): not skipped, not resources. */
  contextKinds: ReadonlySet<string>;
  cluster?: string;
  now: Date;
}

interface RunOptions extends ConfigScanOptions {
  seenAt: string;
}

/** Runs every check over every object, then merges what one rule found on one resource into one finding. */
export function scanConfig(inputs: readonly ScanObject[], scanOptions: ConfigScanOptions): ConfigScanResult {
  const options: RunOptions = { ...scanOptions, seenAt: scanOptions.now.toISOString() };
  const inventory = buildInventory(inputs.map((i) => i.object));
  const podChecks = options.checks.filter((c): c is PodCheck => c.target === 'pod');
  const objectChecksByKind = new Map<string, ObjectCheck[]>();
  for (const check of options.checks) {
    if (check.target !== 'object') continue;
    for (const kind of check.kinds)
      objectChecksByKind.set(kind, [...(objectChecksByKind.get(kind) ?? []), check]);
  }
  const result: ConfigScanResult = { findings: [], resources: [], problems: [], skippedKinds: {} };
  const byId = new Map<string, Finding>();
  const seenResources = new Set<string>();

  for (const input of inputs) {
    const kind = input.object.kind ?? '';
    const pod = podTemplateOf(input.object);
    const checks = objectChecksByKind.get(kind) ?? [];
    if (!pod && checks.length === 0) {
      if (!options.contextKinds.has(kind)) result.skippedKinds[kind] = (result.skippedKinds[kind] ?? 0) + 1;
      continue;
    }
    const failedLevels: PssLevel[] = [];
    const emit = (check: ConfigCheck, violations: Violation[]) => {
      for (const v of violations) {
        if (check.pss) failedLevels.push(check.pss.level);
        addFinding(byId, makeFinding(check, v, input, pod, options));
      }
    };
    if (pod)
      for (const check of podChecks)
        runSafely(check, input, result, () => check.evaluate(pod, input.object, inventory), emit);
    for (const check of checks)
      runSafely(check, input, result, () => check.evaluate(input.object, inventory), emit);
    addResource(
      result,
      seenResources,
      input,
      pod ? podSecurityLevel(failedLevels.map((level) => ({ level }))) : undefined,
    );
  }
  result.findings = [...byId.values()];
  return result;
}

function runSafely(
  check: ConfigCheck,
  input: ScanObject,
  result: ConfigScanResult,
  evaluate: () => Violation[],
  emit: (check: ConfigCheck, violations: Violation[]) => void,
): void {
  try {
    emit(check, evaluate());
  } catch (error) {
    // A check that trips over a malformed object must not end the scan: say which and go on.
    result.problems.push({
      source: input.file ?? describe(input.object),
      line: input.line,
      message: `check ${check.id} failed on ${describe(input.object)}: ${(error as Error).message}`,
    });
  }
}

function makeFinding(
  check: ConfigCheck,
  violation: Violation,
  input: ScanObject,
  pod: PodTemplate | undefined,
  options: RunOptions,
): Finding {
  // Built field by field rather than with spreads: this runs once per violation on the hot path.
  const meta = input.object.metadata;
  const resource: ResourceRef = {};
  if (options.cluster) resource.cluster = options.cluster;
  if (typeof meta?.namespace === 'string') resource.namespace = meta.namespace;
  resource.kind = input.object.kind;
  resource.name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
  if (violation.container) resource.container = violation.container;
  if (input.file) resource.file = input.file;
  const line = input.locate ? input.locate(violation.path) : input.line;
  if (line) resource.line = line;
  const suppression = options.suppressor.suppression({
    checkId: check.id,
    object: input.object,
    podAnnotations: pod?.metadata.annotations,
  });
  const finding: Finding = {
    id: fingerprint(check.id, resource),
    scanner: 'config',
    ruleId: check.id,
    title: check.title,
    severity: check.severity,
    resource,
    path: formatPath(violation.path),
    evidence: violation.evidence,
    description: check.description,
    remediation: check.remediation,
    references: check.references,
    firstSeen: options.seenAt,
    lastSeen: options.seenAt,
    status: suppression ? 'suppressed' : 'open',
  };
  if (suppression) finding.suppression = suppression;
  return finding;
}

/** The same rule on the same resource is one finding: its evidence lists every place it was seen. */
function addFinding(byId: Map<string, Finding>, finding: Finding): void {
  const existing = byId.get(finding.id);
  if (!existing) {
    byId.set(finding.id, finding);
    return;
  }
  if (finding.evidence && !existing.evidence?.split('; ').includes(finding.evidence)) {
    existing.evidence = existing.evidence ? `${existing.evidence}; ${finding.evidence}` : finding.evidence;
  }
}

function addResource(
  result: ConfigScanResult,
  seen: Set<string>,
  input: ScanObject,
  level: PodSecurityLevel | undefined,
): void {
  const meta = input.object.metadata;
  const resource: ReportResource = {
    ...(input.object.apiVersion ? { apiVersion: input.object.apiVersion } : {}),
    kind: input.object.kind ?? '',
    ...(typeof meta?.namespace === 'string' ? { namespace: meta.namespace } : {}),
    name: typeof meta?.name === 'string' ? meta.name : '(unnamed)',
    ...(input.file ? { file: input.file } : {}),
    ...(input.line ? { line: input.line } : {}),
    ...(level ? { podSecurity: { level } } : {}),
  };
  const key = `${resource.namespace ?? ''}/${resource.kind}/${resource.name}`;
  if (seen.has(key)) return;
  seen.add(key);
  result.resources.push(resource);
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function describe(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind ?? '?'} ${ns ? `${ns}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
}
