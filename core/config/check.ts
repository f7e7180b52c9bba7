import type { PodTemplate } from '../kube/pod-template.js';
import type { KubeObject } from '../kube/types.js';
import type { Reference, Severity } from '../model/index.js';

export type PssLevel = 'baseline' | 'restricted';

/** One problem a check saw in one object. */
export interface Violation {
  /** Path from the object's root to the offending field, e.g. `['spec','containers',0,'securityContext','privileged']`. */
  path: ReadonlyArray<string | number>;
  /** What was seen, human-readable. Must never contain a secret value: mask it first. */
  evidence: string;
  /** The container concerned, when the problem is one container's. */
  container?: string;
  /** When this violation weighs more or less than the check's usual severity (RBAC: by subject kind). */
  severity?: Severity;
}

/** Everything in the input, for checks that need to see other objects (NetworkPolicies, bindings). */
export interface Inventory {
  readonly objects: readonly KubeObject[];
  /** Objects of `kind`, optionally only those in `namespace`. */
  ofKind(kind: string, namespace?: string): readonly KubeObject[];
}

interface CheckMeta {
  /** Stable id, kebab-case: what users put in suppressions. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters. */
  description: string;
  remediation: string;
  references: Reference[];
  /** Set for Pod Security Standards controls: the level and the control's name in the spec. */
  pss?: { level: PssLevel; control: string };
}

/** A check over the pod spec of any workload kind. */
export interface PodCheck extends CheckMeta {
  target: 'pod';
  evaluate(pod: PodTemplate, object: KubeObject, inventory: Inventory): Violation[];
}

/** A check over objects of given kinds (Services, Roles, bindings, namespaces…). */
export interface ObjectCheck extends CheckMeta {
  target: 'object';
  kinds: readonly string[];
  evaluate(object: KubeObject, inventory: Inventory): Violation[];
}

export type ConfigCheck = PodCheck | ObjectCheck;

/**
 * What a check finds in most pods: nothing. One frozen empty list to return rather than one per call
 * (some 40 checks run per pod template); the scan only reads what a check returns.
 */
export const NO_VIOLATIONS = Object.freeze([]) as unknown as Violation[];
