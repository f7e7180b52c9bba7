import type { ContainerEntry, PodTemplate } from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { PodCheck, PssLevel, Violation } from '../check.js';

export const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

interface PssCheckDefinition {
  /** The control's name as the Pod Security Standards page lists it. */
  control: string;
  /** pod-security-admission's check id (policy/check_<id>.go), for people cross-referencing upstream. */
  upstreamId: string;
  level: PssLevel;
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
    description: def.description,
    remediation: def.remediation,
    references: [{ kind: 'pss', id: `${def.level}/${def.upstreamId}`, url: PSS_URL }],
    pss: { level: def.level, control: def.control },
    target: 'pod',
    evaluate: (pod, object) => def.evaluate(pod, object),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function recordAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let node: unknown = value;
  for (const key of keys) node = isRecord(node) ? node[key] : undefined;
  return isRecord(node) ? node : undefined;
}

export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function containerPath(
  pod: PodTemplate,
  entry: ContainerEntry,
  ...rest: Array<string | number>
): Array<string | number> {
  return [...pod.specPath, entry.field, entry.index, ...rest];
}

export function containerViolation(
  pod: PodTemplate,
  entry: ContainerEntry,
  path: Array<string | number>,
  evidence: string,
): Violation {
  const name = entry.container.name;
  return {
    path: containerPath(pod, entry, ...path),
    evidence,
    ...(typeof name === 'string' ? { container: name } : {}),
  };
}

export function podViolation(pod: PodTemplate, path: Array<string | number>, evidence: string): Violation {
  return { path: [...pod.specPath, ...path], evidence };
}

/** Upstream's restricted-level exemption for Windows pods (policy version 1.25+). */
export function isWindowsPod(pod: PodTemplate): boolean {
  return recordAt(pod.spec, 'os')?.name === 'windows';
}

/** `spec.hostUsers: false`: the pod runs in a user namespace (KEP-127), which relaxes some controls at 1.35+. */
export function usesUserNamespace(pod: PodTemplate): boolean {
  return pod.spec.hostUsers === false;
}

export function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}
