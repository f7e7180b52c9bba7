import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import { isRecord, type KubeObject } from '../../kube/types.js';
import { NO_VIOLATIONS, type PodCheck, type PssLevel, type Violation } from '../check.js';
import { JoinedStrings } from '../string-pool.js';
import { containerNode, podSpecNode } from '../violation-paths.js';

export const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

interface PssCheckDefinition {
  /** The control's name as the Pod Security Standards page lists it. */
  control: string;
  /** pod-security-admission's check id (policy/check_<id>.go), for people cross-referencing upstream. */
  upstreamId: string;
  level: PssLevel;
  /** Kebab-case control name: the check id is `pss-<level>-<slug>`, the reference id `<level>/<slug>`. */
  slug: string;
  title: string;
  description: string;
  remediation: string;
  evaluate(pod: PodTemplate, object: KubeObject): Violation[];
}

/** A Pod Security Standards control as a seco pod check: id `pss-<level>-<slug>`, severity by level. */
export function pssCheck(def: PssCheckDefinition): PodCheck {
  return {
    id: `pss-${def.level}-${def.slug}`,
    title: def.title,
    severity: def.level === 'baseline' ? 'high' : 'medium',
    description: `${def.description} Upstream check: ${def.upstreamId}.`,
    remediation: def.remediation,
    references: [{ kind: 'pss', id: `${def.level}/${def.slug}`, url: PSS_URL }],
    pss: { level: def.level, control: def.control },
    target: 'pod',
    evaluate: (pod, object) => def.evaluate(pod, object),
  };
}

export { isRecord };

/**
 * The value at `keys` below `value`, with `null` read as absent. Upstream decodes manifests into typed Go
 * structs, where an explicit `null` leaves a pointer nil: to pod-security-admission `privileged: null` is unset.
 */
export function valueAt(value: unknown, ...keys: string[]): unknown {
  return valueAtPath(value, keys);
}

/** `valueAt` with the keys as one (usually constant) array: no array built per call on hot paths. */
export function valueAtPath(value: unknown, keys: readonly string[]): unknown {
  let node: unknown = value;
  for (let i = 0; i < keys.length && node !== undefined; i++)
    node = isRecord(node) ? node[keys[i]!] : undefined;
  return node === null ? undefined : node;
}

export function recordAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  const node = valueAt(value, ...keys);
  return isRecord(node) ? node : undefined;
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The violations `violationOf` finds, a container at a time (at most one each), in container order. */
export function containerViolations(
  pod: PodTemplate,
  violationOf: (entry: ContainerEntry) => Violation | undefined,
): Violation[] {
  let violations: Violation[] | undefined;
  for (const entry of podContainers(pod)) {
    const violation = violationOf(entry);
    if (!violation) continue;
    if (violations) violations.push(violation);
    else violations = [violation];
  }
  return violations ?? NO_VIOLATIONS;
}

/** The path of a container's field: shared (violation-paths.ts), never changed. */
export function containerPath(
  pod: PodTemplate,
  entry: ContainerEntry,
  ...rest: Array<string | number>
): ReadonlyArray<string | number> {
  return containerNode(pod, entry).below(rest).path;
}

export function containerViolation(
  pod: PodTemplate,
  entry: ContainerEntry,
  path: ReadonlyArray<string | number>,
  evidence: string,
): Violation {
  const name = entry.container.name;
  const violation: Violation = { path: containerNode(pod, entry).below(path).path, evidence };
  if (typeof name === 'string') violation.container = name;
  return violation;
}

export function podViolation(
  pod: PodTemplate,
  path: ReadonlyArray<string | number>,
  evidence: string,
): Violation {
  return { path: podSpecNode(pod).below(path).path, evidence };
}

// `container "web" must set …`: a few container descriptions and problems, repeated for every pod of a
// large input (JoinedStrings: built and flattened once each, so the finding's string pool finds them
// without flattening or hashing a fresh text).
const containerTexts = new JoinedStrings(' ');
const podOrTexts = new JoinedStrings(' ');

/** `${describeContainer(entry)} ${problem}`, shared. */
export function containerEvidence(entry: ContainerEntry, problem: string): string {
  return containerTexts.join(describeContainer(entry), problem);
}

/** `pod or ${describeContainer(entry)} ${problem}`, shared: for a field either may set. */
export function podOrContainerEvidence(entry: ContainerEntry, problem: string): string {
  return containerTexts.join(podOrTexts.join('pod or', describeContainer(entry)), problem);
}

/** Upstream's restricted-level exemption for Windows pods (policy version 1.25+): `spec.os.name` exactly "windows". */
const OS_NAME = ['os', 'name'];

export function isWindowsPod(pod: PodTemplate): boolean {
  return valueAtPath(pod.spec, OS_NAME) === 'windows';
}

/**
 * `spec.hostUsers: false`: the pod runs in a user namespace (KEP-127). Since policy 1.35 upstream relaxes
 * runAsNonRoot, runAsUser and baseline procMount for such pods unconditionally (policy/helpers.go). Only the
 * boolean false counts: a string "false" is not a decoded false, so it earns no relaxation.
 */
export function usesUserNamespace(pod: PodTemplate): boolean {
  return pod.spec.hostUsers === false;
}

/** A value as evidence: JSON, plus its type when it is not the type the API declares for the field. */
export function show(
  value: unknown,
  expected?: 'boolean' | 'string' | 'number' | 'object' | 'array',
): string {
  const text = value === undefined ? 'undefined' : String(JSON.stringify(value));
  if (!expected) return text;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return actual === expected ? text : `${text} (a ${actual}, not a ${expected})`;
}

/**
 * For fields whose only allowed values are false and unset: the evidence when anything else is there. A value
 * of the wrong type (`"true"`, `1`) is reported as a violation too — it is not the allowed false — and the
 * evidence says what it was.
 */
export function notFalseEvidence(subject: string, field: string, value: unknown): string | undefined {
  if (value === undefined || value === false) return undefined;
  return value === true
    ? `${subject} must not set ${field}=true`
    : `${subject} must not set ${field}=${show(value, 'boolean')}: only false or unset is allowed`;
}
