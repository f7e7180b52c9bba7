import { type AdmissionPolicySet, POLICY_KINDS } from '../admission/policy-set.js';
import { reviewObject } from '../admission/review-object.js';
import { type PodTemplate, podTemplateOf } from '../kube/pod-template.js';
import type { KubeObject } from '../kube/types.js';
import {
  compareSeverity,
  type Finding,
  fingerprint,
  type InputProblem,
  type PodSecurityLevel,
  type ReportResource,
  type ResourceRef,
} from '../model/index.js';
import { applyApiDefaults } from './api-defaults.js';
import type { ConfigCheck, Inventory, ObjectCheck, PodCheck, PssLevel, Violation } from './check.js';
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
  /** ValidatingAdmissionPolicies to review every object against (`--policy`). */
  policies?: AdmissionPolicySet;
  /** Objects that policy bindings may take params from besides the scanned ones (policy files). */
  policyParams?: readonly KubeObject[];
}

interface RunOptions extends ConfigScanOptions {
  seenAt: string;
}

/** Runs every check over every object, then merges what one rule found on one resource into one finding. */
export function scanConfig(inputs: readonly ScanObject[], scanOptions: ConfigScanOptions): ConfigScanResult {
  const scan = startConfigScan(
    inputs.map((i) => i.object),
    scanOptions,
  );
  scan.add(inputs);
  return scan.finish();
}

/** A configuration scan fed in batches (a file at a time): only the context objects are kept throughout. */
export interface ConfigScan {
  add(inputs: readonly ScanObject[]): void;
  finish(): ConfigScanResult;
}

/**
 * Starts a scan whose cross-object checks read `context` (NetworkPolicies, RBAC roles, Namespaces…:
 * every object, or only the kinds INVENTORY_KINDS names and the policies' params). Objects are then
 * added in batches and can be dropped after each: findings are merged as they come.
 */
export function startConfigScan(context: readonly KubeObject[], scanOptions: ConfigScanOptions): ConfigScan {
  const options: RunOptions = { ...scanOptions, seenAt: scanOptions.now.toISOString() };
  // Checks and policies see objects as the API server stores them: defaulted (api-defaults.ts).
  for (const object of context) applyApiDefaults(object);
  const inventory = buildInventory(context);
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
  const review = policyReview(options, inventory);
  return {
    add: (inputs) => {
      for (const input of inputs) applyApiDefaults(input.object);
      scanBatch(inputs, {
        options,
        inventory,
        podChecks,
        objectChecksByKind,
        result,
        byId,
        seenResources,
        review,
      });
    },
    finish: () => {
      result.findings = [...byId.values()];
      return result;
    },
  };
}

interface ScanState {
  options: RunOptions;
  inventory: Inventory;
  podChecks: readonly PodCheck[];
  objectChecksByKind: ReadonlyMap<string, ObjectCheck[]>;
  result: ConfigScanResult;
  byId: Map<string, Finding>;
  seenResources: Set<string>;
  review: ReturnType<typeof policyReview>;
}

function scanBatch(inputs: readonly ScanObject[], state: ScanState): void {
  const { options, inventory, podChecks, objectChecksByKind, result, byId, seenResources, review } = state;
  for (const input of inputs) {
    const kind = input.object.kind ?? '';
    const pod = podTemplateOf(input.object);
    const checks = objectChecksByKind.get(kind) ?? [];
    const reviewed = review?.(input.object);
    const policyViolations = reviewed?.violations ?? [];
    for (const error of reviewed?.errors ?? [])
      result.problems.push({
        kind: 'error',
        source: input.file ?? describe(input.object),
        ...(input.line ? { line: input.line } : {}),
        message: `${error} (on ${describe(input.object)})`,
      });
    for (const v of policyViolations)
      addFinding(
        byId,
        makeFinding({ ...v, id: v.ruleId }, { path: [], evidence: v.evidence }, input, pod, options),
      );
    if (!pod && checks.length === 0) {
      if (policyViolations.length > 0) {
        addResource(result, seenResources, input, undefined);
        continue;
      }
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
}

/** The policy review of one object, or undefined when no policies were given. */
function policyReview(options: RunOptions, inventory: Inventory) {
  const policies = options.policies;
  if (!policies || policies.size === 0) return undefined;
  const params = [...inventory.objects, ...(options.policyParams ?? [])];
  const context = {
    namespace: (name: string) => inventory.ofKind('Namespace').find((n) => n.metadata?.name === name),
    params,
  };
  return (object: KubeObject) =>
    POLICY_KINDS.has(object.kind ?? '') ? undefined : reviewObject(policies, object, context);
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

/** What a finding says about its rule: a check's metadata, or a policy violation's. */
type FindingMeta = Pick<
  ConfigCheck,
  'id' | 'title' | 'severity' | 'description' | 'remediation' | 'references'
>;

function makeFinding(
  check: FindingMeta,
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
  const ruleId = check.id;
  const suppression = options.suppressor.suppression({
    checkId: ruleId,
    object: input.object,
    podAnnotations: pod?.metadata.annotations,
  });
  const finding: Finding = {
    id: fingerprint(ruleId, resource),
    scanner: 'config',
    ruleId,
    title: check.title,
    severity: violation.severity ?? check.severity,
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
  // One finding per rule and resource: it weighs as much as its worst violation.
  if (compareSeverity(existing.severity, finding.severity) > 0) existing.severity = finding.severity;
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
