import { selectorMatches } from '../kube/label-selector.js';
import type { MatchResources, NamedRuleWithOperations } from '../model/index.js';
import type { RequestResource } from './kube-resource.js';

/** What the matcher needs to know of one (CREATE) request. */
export interface MatchRequest {
  resource: RequestResource;
  name: string;
  namespace?: string;
  labels: Record<string, unknown>;
  /** Labels of the object's namespace (its own labels when the object is a Namespace). */
  namespaceLabels?: Record<string, unknown>;
}

// Resources that moved between API groups: with matchPolicy Equivalent (the default) a rule for one
// also matches the other (the API server converts the request, k8s.io/apiserver admission/plugin/webhook/predicates/rules).
const EQUIVALENT_GROUPS: Record<string, string[]> = {
  'extensions/deployments': ['apps'],
  'extensions/daemonsets': ['apps'],
  'extensions/replicasets': ['apps'],
  'extensions/networkpolicies': ['networking.k8s.io'],
  'extensions/ingresses': ['networking.k8s.io'],
  'apps/deployments': ['extensions'],
  'apps/daemonsets': ['extensions'],
  'apps/replicasets': ['extensions'],
  'networking.k8s.io/networkpolicies': ['extensions'],
  'networking.k8s.io/ingresses': ['extensions'],
};

const has = (list: readonly string[] | undefined, value: string) =>
  !!list && (list.includes('*') || list.includes(value));

/** One rule against a request: operation, group, version, resource (no subresource), scope and names. */
export function ruleMatches(
  rule: NamedRuleWithOperations,
  request: MatchRequest,
  exactVersion = true,
): boolean {
  const r = request.resource;
  if (!has(rule.operations, 'CREATE')) return false;
  if (!has(rule.apiGroups, r.group)) return false;
  if (exactVersion && !has(rule.apiVersions, r.version)) return false;
  // '*' and '*/*' match every resource; 'pods/*' only pods' subresources, which a manifest never is.
  const resources = rule.resources ?? [];
  if (!resources.includes(r.resource) && !resources.includes('*') && !resources.includes('*/*')) return false;
  const scope = rule.scope ?? '*';
  if (scope === 'Cluster' && r.namespaced) return false;
  if (scope === 'Namespaced' && !r.namespaced) return false;
  if (rule.resourceNames?.length && !rule.resourceNames.includes(request.name)) return false;
  return true;
}

function equivalentMatch(rule: NamedRuleWithOperations, request: MatchRequest): boolean {
  if (ruleMatches(rule, request, false)) return true;
  const groups = EQUIVALENT_GROUPS[`${request.resource.group}/${request.resource.resource}`] ?? [];
  return groups.some((group) =>
    ruleMatches(rule, { ...request, resource: { ...request.resource, group } }, false),
  );
}

/**
 * ValidatingAdmissionPolicy matching (admissionregistration/v1 MatchResources): the namespace and
 * object selectors, then at least one resourceRule and no excludeResourceRule. Cluster-scoped objects
 * other than Namespaces ignore the namespaceSelector, as the API server does.
 */
export function matchesResources(match: MatchResources | undefined, request: MatchRequest): boolean {
  if (!match) return false;
  const isNamespace = request.resource.group === '' && request.resource.resource === 'namespaces';
  if (request.resource.namespaced || isNamespace) {
    if (match.namespaceSelector && !selectorMatches(match.namespaceSelector, request.namespaceLabels ?? {}))
      return false;
  }
  if (match.objectSelector && !selectorMatches(match.objectSelector, request.labels)) return false;
  return rulesMatch(match, request);
}

/**
 * The resource rules' verdict. Without resourceNames it depends only on the request's resource, so it
 * is remembered per rule set and resource: a scan asks it for every object and policy.
 */
function rulesMatch(match: MatchResources, request: MatchRequest): boolean {
  let byResource = verdicts.get(match);
  if (byResource === undefined) {
    byResource = namesAnyRule(match) ? null : new Map();
    verdicts.set(match, byResource);
  }
  if (byResource === null) return evaluateRules(match, request);
  const key = resourceKey(request.resource);
  let verdict = byResource.get(key);
  if (verdict === undefined) {
    verdict = evaluateRules(match, request);
    byResource.set(key, verdict);
  }
  return verdict;
}

const verdicts = new WeakMap<MatchResources, Map<string, boolean> | null>();

// The key of the last resource asked about: one request is matched against every policy and binding
// in turn, and building the key each time showed in the policy row's profile. A request's resource is
// not changed once built (requestResourceOf), so its identity stands for its fields.
let lastResource: MatchRequest['resource'] | undefined;
let lastKey = '';

/** group/version/resource/namespaced of a request's resource: what a verdict without names depends on. */
export function resourceKey(r: MatchRequest['resource']): string {
  if (r !== lastResource) {
    lastKey = `${r.group}/${r.version}/${r.resource}/${r.namespaced}`;
    lastResource = r;
  }
  return lastKey;
}

/**
 * Whether `match`'s resource rules can match a request for this resource, whatever its name,
 * namespace and labels: false only when no object of the resource can ever match.
 */
export function mayMatchResource(match: MatchResources | undefined, request: MatchRequest): boolean {
  if (!match) return false;
  return namesAnyRule(match) || rulesMatch(match, request);
}

/**
 * Whether `match` is decided by the request's resource alone: no namespace or object selector and no
 * rule naming objects. For such a match, matchesResources gives what mayMatchResource gave.
 */
export function decidedByResource(match: MatchResources | undefined): boolean {
  return !!match && !match.namespaceSelector && !match.objectSelector && !namesAnyRule(match);
}

function namesAnyRule(match: MatchResources): boolean {
  const rules = [...(match.resourceRules ?? []), ...(match.excludeResourceRules ?? [])];
  return rules.some((rule) => (rule.resourceNames?.length ?? 0) > 0);
}

function evaluateRules(match: MatchResources, request: MatchRequest): boolean {
  const equivalent = (match.matchPolicy ?? 'Equivalent') === 'Equivalent';
  const matchRule = (rule: NamedRuleWithOperations) =>
    ruleMatches(rule, request) || (equivalent && equivalentMatch(rule, request));
  if (!(match.resourceRules ?? []).some(matchRule)) return false;
  // Exclusions are matched exactly: a rule excludes what it names.
  if ((match.excludeResourceRules ?? []).some((rule) => ruleMatches(rule, request))) return false;
  return true;
}
