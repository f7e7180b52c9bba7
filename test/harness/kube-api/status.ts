/**
 * metav1.Status failures as kube-apiserver writes them (k8s.io/apimachinery/pkg/api/errors), so that
 * kubectl prints `Error from server (NotFound): pods "x" not found` the way it does against a cluster.
 */
export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; uid?: string };
  code: number;
}

/** Thrown by handlers; the router turns it into the Status response. */
export class KubeApiError extends Error {
  constructor(readonly body: StatusBody) {
    super(body.message);
  }
  get code(): number {
    return this.body.code;
  }
}

interface Target {
  group: string;
  /** Plural resource name, as the real messages use (`pods "x" not found`). */
  resource: string;
  name?: string;
}

function qualified(target: Target): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: StatusBody['details'],
): KubeApiError {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) body.details = details;
  return new KubeApiError(body);
}

function detailsOf(target: Target): StatusBody['details'] {
  return { name: target.name, group: target.group || undefined, kind: target.resource };
}

export function notFound(target: Target): KubeApiError {
  return failure(404, 'NotFound', `${qualified(target)} "${target.name}" not found`, detailsOf(target));
}

export function alreadyExists(target: Target): KubeApiError {
  return failure(
    409,
    'AlreadyExists',
    `${qualified(target)} "${target.name}" already exists`,
    detailsOf(target),
  );
}

/** Optimistic concurrency failure: the request's resourceVersion is not the stored one. */
export function conflict(target: Target, why: string): KubeApiError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(target)} "${target.name}": ${why}`,
    detailsOf(target),
  );
}

/**
 * Server-side apply conflicts with other field managers: 409 Conflict whose causes name each field,
 * and whose message groups the fields by manager as the apiserver's fieldmanager package words it.
 */
export function applyConflict(target: Target, causes: StatusCause[]): KubeApiError {
  let message: string;
  if (causes.length === 1)
    message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const cause of causes) {
      const manager = cause.message.replace(/^conflict with /, '');
      byManager.set(manager, [...(byManager.get(manager) ?? []), cause.field ?? '']);
    }
    const lines = [...byManager].flatMap(([manager, fields]) => [
      `conflicts with ${manager}:`,
      ...fields.map((f) => `- ${f}`),
    ]);
    message = `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  }
  return failure(409, 'Conflict', message, { ...detailsOf(target), causes });
}

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): KubeApiError {
  const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: group || undefined,
    kind,
    causes: causes.map((c) => ({
      reason: c.reason ?? 'FieldValueRequired',
      message: c.message,
      field: c.field,
    })),
  });
}

export function badRequest(message: string): KubeApiError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(): KubeApiError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(user: string, verb: string, target: Target, namespace?: string): KubeApiError {
  const scope = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  const name = target.name ? ` "${target.name}"` : '';
  return failure(
    403,
    'Forbidden',
    `${qualified(target)}${name} is forbidden: User "${user}" cannot ${verb} resource "${target.resource}" in API group "${target.group}"${scope}`,
    detailsOf(target),
  );
}

export function methodNotAllowed(method: string): KubeApiError {
  return failure(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

export function unsupportedMediaType(contentType: string): KubeApiError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${JSON.stringify(contentType)})`,
  );
}

/** 410 Gone: a continue token or resourceVersion older than the retained history (reason Expired). */
export function expired(message: string): KubeApiError {
  return failure(410, 'Expired', message);
}

export function pathNotFound(path: string): KubeApiError {
  return failure(404, 'NotFound', `the server could not find the requested resource (path ${path})`);
}

export function serviceUnavailable(message: string): KubeApiError {
  return failure(503, 'ServiceUnavailable', message);
}

/** NamespaceLifecycle admission: nothing new in a namespace being deleted. */
export function namespaceTerminating(namespace: string): KubeApiError {
  return failure(
    403,
    'Forbidden',
    `namespaces "${namespace}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    { name: namespace, kind: 'namespaces' },
  );
}
