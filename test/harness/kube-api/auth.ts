import type { IncomingMessage } from 'node:http';

/**
 * Authentication by bearer token and authorization by a rule table
 * (kubernetes.io/docs/reference/access-authn-authz/): the harness knows a fixed token → user map,
 * and decides each request, SubjectAccessReview and SelfSubjectAccessReview with the same rules.
 */
export interface KubeUser {
  username: string;
  uid?: string;
  groups: string[];
  /**
   * user.Info's extra fields: a projected token's bound pod and node (authentication.kubernetes.io/…),
   * forwarded by the aggregation layer as X-Remote-Extra-<key>.
   */
  extra?: Record<string, string[]>;
  /** A projected token's audiences; unset: the API server's own (any review without audiences). */
  audiences?: string[];
}

/** The attributes an authorizer decides on (authorizer.Attributes in k8s.io/apiserver). */
export interface AccessAttributes {
  user: KubeUser;
  verb: string;
  /** API group ("" for core); undefined for non-resource requests. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource URL path (/version, /api, ...). */
  path?: string;
}

/** A rule: each listed field must contain the request's value (or "*"); unlisted fields match all. */
export interface AccessRule {
  effect: 'allow' | 'deny';
  users?: string[];
  groups?: string[];
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  namespaces?: string[];
  names?: string[];
  reason?: string;
}

export interface Decision {
  allowed: boolean;
  denied: boolean;
  reason: string;
}

export const DEFAULT_TOKEN = 'seco-harness-admin-token';
export const ADMIN: KubeUser = {
  username: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
};

function listed(values: string[] | undefined, value: string | undefined): boolean {
  return values === undefined || values.includes('*') || (value !== undefined && values.includes(value));
}

function resourceName(attributes: AccessAttributes): string | undefined {
  if (attributes.resource === undefined) return undefined;
  return attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
}

function matches(rule: AccessRule, a: AccessAttributes): boolean {
  const inGroup =
    rule.groups === undefined || rule.groups.some((g) => a.user.groups.includes(g) || g === '*');
  return (
    listed(rule.users, a.user.username) &&
    inGroup &&
    listed(rule.verbs, a.verb) &&
    listed(rule.apiGroups, a.apiGroup) &&
    // As in RBAC, "pods" does not cover "pods/log": a subresource is named on its own.
    listed(rule.resources, resourceName(a)) &&
    listed(rule.namespaces, a.namespace) &&
    listed(rule.names, a.name)
  );
}

export class Authority {
  private readonly tokens = new Map<string, KubeUser>();
  rules: AccessRule[];

  /** `fallback` decides requests no rule matches: allow-all by default, as the harness's tests expect. */
  constructor(
    rules: AccessRule[] = [],
    private readonly fallback: 'allow' | 'deny' = 'allow',
  ) {
    this.rules = rules;
    this.tokens.set(DEFAULT_TOKEN, ADMIN);
  }

  addToken(token: string, user: KubeUser): void {
    const groups = user.groups.includes('system:authenticated')
      ? user.groups
      : [...user.groups, 'system:authenticated'];
    this.tokens.set(token, { ...user, groups });
  }

  /** The user a bearer token belongs to, or undefined (the request is then 401). */
  authenticate(token: string | undefined): KubeUser | undefined {
    return token === undefined ? undefined : this.tokens.get(token);
  }

  tokenOf(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match ? match[1] : undefined;
  }

  /** system:masters bypasses authorization, as with the real API server; then first matching rule wins. */
  authorize(attributes: AccessAttributes): Decision {
    if (attributes.user.groups.includes('system:masters')) {
      return { allowed: true, denied: false, reason: 'system:masters' };
    }
    const rule = this.rules.find((r) => matches(r, attributes));
    const effect = rule?.effect ?? this.fallback;
    const reason =
      rule?.reason ??
      (rule ? `harness rule ${this.rules.indexOf(rule)}` : `harness default ${this.fallback}`);
    return { allowed: effect === 'allow', denied: effect === 'deny', reason };
  }
}
