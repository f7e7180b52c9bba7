import { POLICY_KINDS } from '../admission/policy-kinds.js';
import type { AdmissionPolicySet } from '../admission/policy-set.js';
import { podTemplateOf } from '../kube/pod-template.js';
import type { KubeObject } from '../kube/types.js';
import type { Finding, InputProblem, PodSecurityLevel, ReportResource } from '../model/index.js';
import { applyApiDefaults } from './api-defaults.js';
import type { ConfigCheck, Inventory, ObjectCheck, PodCheck, PssLevel, Violation } from './check.js';
import { FindingCollector, type FindingMeta, type FindingSource } from './finding-collector.js';
import { buildInventory } from './inventory.js';
import { podSecurityLevel } from './pss/index.js';
import type { Suppressor } from './suppression.js';

/** An object to scan, with where it came from when it came from a file. */
export type ScanObject = FindingSource;

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

const NO_CHECKS: ReadonlyArray<CheckRun<ObjectCheck>> = [];

// A policy verdict is on the whole object.
const NO_PATH: Violation['path'] = [];

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
  const podChecks = options.checks.filter((c): c is PodCheck => c.target === 'pod').map(checkRun);
  const objectChecksByKind = new Map<string, Array<CheckRun<ObjectCheck>>>();
  for (const check of options.checks) {
    if (check.target !== 'object') continue;
    const run = checkRun(check);
    for (const kind of check.kinds)
      objectChecksByKind.set(kind, [...(objectChecksByKind.get(kind) ?? []), run]);
  }
  // Counts by kind in an object without a prototype: a hostile `kind: constructor` or `__proto__` is a kind like any other.
  const result: ConfigScanResult = {
    findings: [],
    resources: [],
    problems: [],
    skippedKinds: Object.create(null) as Record<string, number>,
  };
  const findings = new FindingCollector(options);
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
        findings,
        seenResources,
        review,
      });
    },
    finish: () => {
      result.findings = findings.findings();
      return result;
    },
  };
}

interface ScanState {
  options: RunOptions;
  inventory: Inventory;
  podChecks: ReadonlyArray<CheckRun<PodCheck>>;
  objectChecksByKind: ReadonlyMap<string, ReadonlyArray<CheckRun<ObjectCheck>>>;
  result: ConfigScanResult;
  findings: FindingCollector;
  seenResources: Set<string>;
  review: ReturnType<typeof policyReview>;
}

function scanBatch(inputs: readonly ScanObject[], state: ScanState): void {
  const { options, inventory, podChecks, objectChecksByKind, result, findings, seenResources, review } =
    state;
  for (const input of inputs) {
    const kind = input.object.kind ?? '';
    const pod = podTemplateOf(input.object);
    const checks = objectChecksByKind.get(kind) ?? NO_CHECKS;
    const reviewed = review?.(input.object);
    const policyViolations = reviewed?.violations ?? [];
    findings.startObject(input, pod);
    for (const error of reviewed?.errors ?? [])
      result.problems.push({
        kind: 'error',
        source: input.file ?? describe(input.object),
        ...(input.line ? { line: input.line } : {}),
        message: `${error} (on ${describe(input.object)})`,
      });
    for (const v of policyViolations) findings.add(v, { path: NO_PATH, evidence: v.evidence });
    if (!pod && checks.length === 0) {
      if (policyViolations.length > 0) {
        addResource(result, seenResources, input, undefined);
        continue;
      }
      if (!options.contextKinds.has(kind)) result.skippedKinds[kind] = (result.skippedKinds[kind] ?? 0) + 1;
      continue;
    }
    // The PSS levels the object's violations fail (each once), for its podSecurity level.
    const failedLevels: PssLevel[] = [];
    // Checks called directly, not through a closure per check and object (≈40 per pod template).
    if (pod)
      for (const run of podChecks) {
        try {
          emit(run, run.check.evaluate(pod, input.object, inventory), findings, failedLevels);
        } catch (error) {
          reportFailure(run.check, input, result, error);
        }
      }
    for (const run of checks) {
      try {
        emit(run, run.check.evaluate(input.object, inventory), findings, failedLevels);
      } catch (error) {
        reportFailure(run.check, input, result, error);
      }
    }
    addResource(
      result,
      seenResources,
      input,
      pod ? podSecurityLevel(failedLevels.map((level) => ({ level }))) : undefined,
    );
  }
}

function emit(
  run: CheckRun<ConfigCheck>,
  violations: readonly Violation[],
  findings: FindingCollector,
  failedLevels: PssLevel[],
): void {
  if (violations.length === 0) return;
  // Each level once: podSecurityLevel only asks which levels failed.
  if (run.level && !failedLevels.includes(run.level)) failedLevels.push(run.level);
  for (const v of violations) findings.add(run.meta, v);
}

/**
 * A check with what its findings say about it, read once per scan into objects of one shape: checks
 * are objects of a dozen shapes (pssCheck, containerCheck, literals), and reading their texts for
 * every finding made each read a megamorphic lookup.
 */
interface CheckRun<C extends ConfigCheck> {
  check: C;
  meta: FindingMeta;
  level: PssLevel | undefined;
}

function checkRun<C extends ConfigCheck>(check: C): CheckRun<C> {
  const meta: FindingMeta = {
    id: check.id,
    title: check.title,
    severity: check.severity,
    description: check.description,
    remediation: check.remediation,
    references: check.references,
  };
  return { check, meta, level: check.pss?.level };
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
    POLICY_KINDS.has(object.kind ?? '') ? undefined : policies.review(object, context);
}

// A check that trips over a malformed object must not end the scan: say which and go on.
function reportFailure(
  check: ConfigCheck,
  input: ScanObject,
  result: ConfigScanResult,
  error: unknown,
): void {
  result.problems.push({
    source: input.file ?? describe(input.object),
    line: input.line,
    message: `check ${check.id} failed on ${describe(input.object)}: ${(error as Error).message}`,
  });
}

function addResource(
  result: ConfigScanResult,
  seen: Set<string>,
  input: ScanObject,
  level: PodSecurityLevel | undefined,
): void {
  const object = input.object;
  const meta = object.metadata;
  const namespace = typeof meta?.namespace === 'string' ? meta.namespace : undefined;
  const kind = object.kind ?? '';
  const name = typeof meta?.name === 'string' ? meta.name : '(unnamed)';
  const key = `${namespace ?? ''}/${kind}/${name}`;
  if (seen.has(key)) return;
  seen.add(key);
  // Field by field in the report's order, not spreads of one-field objects: once per object scanned.
  // (`name` is set below, in its place.)
  const resource = (object.apiVersion ? { apiVersion: object.apiVersion, kind } : { kind }) as ReportResource;
  if (namespace !== undefined) resource.namespace = namespace;
  resource.name = name;
  if (input.file) resource.file = input.file;
  if (input.line) resource.line = input.line;
  if (level) resource.podSecurity = { level };
  result.resources.push(resource);
}

function describe(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind ?? '?'} ${ns ? `${ns}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
}
