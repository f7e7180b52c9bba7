import type { AccessAttributes, Authority, KubeUser } from './auth.js';
import { isObject } from './patch.js';
import type { ResourceType } from './resources.js';
import { badRequest } from './status.js';
import { type KubeObject, kubeTime } from './store.js';

/**
 * The review APIs a service uses to check its callers (kubernetes.io/docs/reference/kubernetes-api/
 * authentication-resources/token-review-v1 and authorization-resources/subject-access-review-v1):
 * the request object comes back with `status` filled in; nothing is stored.
 */
function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function echo(body: KubeObject, type: ResourceType, status: unknown): KubeObject {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  return {
    ...body,
    kind: type.kind,
    apiVersion: `${type.group}/${type.version}`,
    metadata: { ...metadata, creationTimestamp: kubeTime() },
    status,
  };
}

function tokenReview(body: KubeObject, type: ResourceType, authority: Authority): KubeObject {
  const spec = isObject(body.spec) ? body.spec : {};
  if (typeof spec.token !== 'string' || spec.token === '')
    throw badRequest('TokenReview spec.token: Required value');
  const user = authority.authenticate(spec.token);
  const audiences = stringList(spec.audiences);
  if (!user) return echo(body, type, { authenticated: false, user: {}, error: 'invalid bearer token' });
  // As the API server: a token for given audiences authenticates only a review asking for one of them.
  const granted = user.audiences ? audiences.filter((a) => user.audiences!.includes(a)) : audiences;
  if (user.audiences && granted.length === 0)
    return echo(body, type, {
      authenticated: false,
      user: {},
      error: 'token audiences is invalid for the target audiences',
    });
  const userInfo = {
    username: user.username,
    uid: user.uid ?? '',
    groups: user.groups,
    ...(user.extra ? { extra: user.extra } : {}),
  };
  return echo(body, type, {
    authenticated: true,
    user: userInfo,
    ...(granted.length ? { audiences: granted } : {}),
  });
}

function attributesOf(spec: Record<string, unknown>, user: KubeUser): AccessAttributes {
  if (isObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    return {
      user,
      verb: text(r.verb) ?? '',
      apiGroup: typeof r.group === 'string' ? r.group : '',
      resource: text(r.resource),
      subresource: text(r.subresource),
      namespace: text(r.namespace),
      name: text(r.name),
    };
  }
  if (isObject(spec.nonResourceAttributes)) {
    const n = spec.nonResourceAttributes;
    return { user, verb: String(n.verb ?? ''), path: String(n.path ?? '') };
  }
  throw badRequest('exactly one of nonResourceAttributes or resourceAttributes must be specified');
}

function accessReview(
  body: KubeObject,
  type: ResourceType,
  authority: Authority,
  caller: KubeUser,
): KubeObject {
  const spec = isObject(body.spec) ? body.spec : {};
  let user = caller;
  if (type.kind === 'SubjectAccessReview') {
    const groups = stringList(spec.groups);
    if (typeof spec.user !== 'string' && groups.length === 0) {
      throw badRequest(
        'SubjectAccessReview spec.user: Invalid value: at least one of user or group must be specified',
      );
    }
    user = {
      username: typeof spec.user === 'string' ? spec.user : '',
      uid: typeof spec.uid === 'string' ? spec.uid : undefined,
      groups,
    };
  }
  const decision = authority.authorize(attributesOf(spec, user));
  const status: Record<string, unknown> = { allowed: decision.allowed, reason: decision.reason };
  if (decision.denied) status.denied = true;
  return echo(body, type, status);
}

/** Answers a create on a review resource. */
export function review(
  type: ResourceType,
  body: KubeObject,
  authority: Authority,
  caller: KubeUser,
): KubeObject {
  if (type.kind === 'TokenReview') return tokenReview(body, type, authority);
  return accessReview(body, type, authority, caller);
}
