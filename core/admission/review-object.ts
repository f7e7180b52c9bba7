import { celJson, celJsonOnce } from '../cel/cel-json.js';
import type { KubeObject } from '../kube/types.js';
import { type Activation, evaluatePolicy, type ObjectVariables } from './evaluate-policy.js';
import { findParams } from './find-params.js';
import { requestResourceOf } from './kube-resource.js';
import {
  decidedByResource,
  type MatchRequest,
  matchesResources,
  mayMatchResource,
  resourceKey,
} from './match-resources.js';
import type { AdmissionPolicySet, BoundPolicy, PolicyBinding } from './policy-set.js';
import { type PolicyViolation, policyViolation } from './policy-violation.js';

export type { PolicyViolation };

/** What reviewing one object found: violations, and evaluation errors to report as problems. */
export interface ObjectReview {
  violations: PolicyViolation[];
  errors: string[];
}

/** Objects of the scan that a review reads besides the object itself. */
export interface ReviewContext {
  namespace(name: string): KubeObject | undefined;
  /** Candidate param objects (any kind; matched by paramKind). */
  params: readonly KubeObject[];
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

// A namespaced manifest without a namespace lands in the default one when applied.
const DEFAULT_NAMESPACE = 'default';

/** Binding matchResources without resourceRules constrain nothing beyond the policy's own rules. */
const MATCH_ALL = [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }];

/**
 * Reviews one object as a CREATE request against every policy and binding of the set. A namespace
 * not in the input is taken as the API server would have it: labelled only with its name.
 */
export function reviewObject(
  set: AdmissionPolicySet,
  object: KubeObject,
  context: ReviewContext,
): ObjectReview {
  const review: ObjectReview = { violations: [], errors: [] };
  if (set.size === 0) return review;
  const resource = requestResourceOf(object);
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
  const namespace = resource.namespaced
    ? typeof object.metadata?.namespace === 'string'
      ? object.metadata.namespace
      : DEFAULT_NAMESPACE
    : undefined;
  const namespaceObject = namespaceObjectOf(object, resource.kind, namespace, context);
  const request: MatchRequest = {
    resource,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: (object.metadata?.labels as Record<string, unknown>) ?? {},
    ...(namespaceObject
      ? { namespaceLabels: (namespaceObject.metadata?.labels as Record<string, unknown>) ?? {} }
      : {}),
  };
  let base: Activation | undefined;
  let objectVariables: ObjectVariables | undefined;
  for (const { bound, matched } of candidatesFor(set, request)) {
    if (!matched && !matchesResources(bound.compiled.policy.spec.matchConstraints, request)) continue;
    for (const binding of bound.bindings) {
      if (binding.matchResources && !matchesResources(withDefaultRules(binding.matchResources), request))
        continue;
      // The activation (celJson copies) only for an object some policy matches: most objects of a
      // scan match few of its policies, and the resource verdicts above are cached per rule set.
      base ??= activationOf(object, resource, name, namespace, namespaceObject);
      objectVariables ??= new Map();
      reviewBinding(bound, binding, base, objectVariables, namespace, context, review);
    }
  }
  return review;
}

/** A policy that may match a resource; `matched` when its resource alone says it does (decidedByResource). */
interface Candidate {
  bound: BoundPolicy;
  matched: boolean;
}

/**
 * The set's policies whose matchConstraints' rules can match the request's resource, in the set's
 * order, listed once per resource: most objects of a scan are matched by a few of its policies, and
 * trying every policy on every object showed in the policy row's profile. A candidate is still matched
 * in full (selectors, names) unless its resource alone decides, as it does for most policies.
 */
function candidatesFor(set: AdmissionPolicySet, request: MatchRequest): readonly Candidate[] {
  let byResource = candidatesBySet.get(set);
  if (!byResource) {
    byResource = new Map();
    candidatesBySet.set(set, byResource);
  }
  const key = resourceKey(request.resource);
  let candidates = byResource.get(key);
  if (!candidates) {
    const found: Candidate[] = [];
    for (const bound of set.policies) {
      const match = bound.compiled.policy.spec.matchConstraints;
      if (mayMatchResource(match, request)) found.push({ bound, matched: decidedByResource(match) });
    }
    candidates = found;
    byResource.set(key, candidates);
  }
  return candidates;
}

const candidatesBySet = new WeakMap<AdmissionPolicySet, Map<string, readonly Candidate[]>>();

/** The variables a CREATE request gives admission expressions (object, oldObject, request, …). */
function activationOf(
  object: KubeObject,
  resource: ReturnType<typeof requestResourceOf>,
  name: string,
  namespace: string | undefined,
  namespaceObject: KubeObject | undefined,
): Activation {
  return {
    // Converted once, for every policy, and never again: not cached (celJsonOnce).
    object: celJsonOnce(object),
    oldObject: null,
    params: null,
    // Set per policy by evaluatePolicy; here so that every activation has the same shape.
    variables: null,
    namespaceObject: namespaceObject ? celJson(namespaceObject) : null,
    // No numbers in a request: celJson would return it as it is (and cache it in its WeakMap).
    request: {
      uid: '',
      kind: { group: resource.group, version: resource.version, kind: resource.kind },
      resource: { group: resource.group, version: resource.version, resource: resource.resource },
      requestKind: { group: resource.group, version: resource.version, kind: resource.kind },
      requestResource: { group: resource.group, version: resource.version, resource: resource.resource },
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      operation: 'CREATE',
      userInfo: { username: 'seco', groups: ['system:authenticated'] },
      dryRun: true,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  };
}

type BindingMatch = NonNullable<PolicyBinding['matchResources']>;

/** The same object for the same binding, so match verdicts cached per rule set keep (match-resources.ts). */
function withDefaultRules(match: BindingMatch): BindingMatch {
  if (match.resourceRules?.length) return match;
  let completed = withRules.get(match);
  if (!completed) {
    completed = { ...match, resourceRules: MATCH_ALL };
    withRules.set(match, completed);
  }
  return completed;
}

const withRules = new WeakMap<BindingMatch, BindingMatch>();

function namespaceObjectOf(
  object: KubeObject,
  kind: string,
  namespace: string | undefined,
  context: ReviewContext,
): KubeObject | undefined {
  if (kind === 'Namespace' && object.apiVersion === 'v1') return object;
  if (namespace === undefined) return undefined;
  return context.namespace(namespace) ?? assumedNamespace(namespace);
}

// Namespaces not in the input, one object per name for the whole process (bounded): every object of
// a namespace reviews against the same one, so its CEL conversion is cached (celJson) instead of a new
// namespace object converted and cached for every object reviewed. Nothing writes to them.
const assumedNamespaces = new Map<string, KubeObject>();
const ASSUMED_NAMESPACES = 4096;

/** The namespace the API server would have for `name` when the input lacks it: labelled only with its name. */
function assumedNamespace(name: string): KubeObject {
  let namespace = assumedNamespaces.get(name);
  if (namespace) return namespace;
  namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [NAMESPACE_NAME_LABEL]: name } },
  };
  if (assumedNamespaces.size < ASSUMED_NAMESPACES) assumedNamespaces.set(name, namespace);
  return namespace;
}

function reviewBinding(
  bound: BoundPolicy,
  binding: PolicyBinding,
  base: Activation,
  objectVariables: ObjectVariables,
  namespace: string | undefined,
  context: ReviewContext,
  review: ObjectReview,
): void {
  const policy = bound.compiled.policy;
  const paramKind = policy.spec.paramKind;
  let paramSets: unknown[] = [null];
  if (paramKind && binding.paramRef) {
    const found = findParams(paramKind, binding.paramRef, namespace, context.params);
    if (found.length === 0) {
      // parameterNotFoundAction Deny: the request is refused (API reference, ParamRef).
      if (binding.paramRef.parameterNotFoundAction === 'Deny')
        review.violations.push(
          policyViolation(
            bound,
            binding,
            'Invalid',
            'no params found for policy binding with `Deny` parameterNotFoundAction',
          ),
        );
      return;
    }
    paramSets = found.map(celJson);
  } else if (paramKind && binding.name) {
    // A binding of a policy with paramKind must say where its params are.
    review.violations.push(
      policyViolation(
        bound,
        binding,
        'Invalid',
        `binding ${binding.name} has no paramRef for paramKind ${paramKind.kind}`,
      ),
    );
    return;
  }
  for (const params of paramSets) {
    // The object's activation with this binding's params set in place, not a copy per policy and
    // object: evaluation is synchronous and keeps nothing of it (evaluate-policy.ts).
    base.params = params;
    const evaluation = evaluatePolicy(bound.compiled, base, objectVariables);
    for (const error of evaluation.errors) review.errors.push(error);
    if (evaluation.failures.length === 0) continue;
    const annotations = Object.entries(evaluation.auditAnnotations).map(([k, v]) => `${k}=${v}`);
    const extra = annotations.length ? `; audit annotations: ${annotations.join(', ')}` : '';
    for (const failure of evaluation.failures)
      review.violations.push(
        policyViolation(bound, binding, failure.reason, failure.message, failure.validationIndex, extra),
      );
  }
}
