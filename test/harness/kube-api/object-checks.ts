import { randomBytes } from 'node:crypto';
import { isObject } from './patch.js';
import { groupVersion, type ResourceType } from './resources.js';
import { badRequest, conflict, invalid, type StatusCause } from './status.js';
import type { KubeObject } from './store.js';

/**
 * The checks the API server makes on every write before storing: body shape, kind and namespace
 * agreement with the URL, name validity (apimachinery/pkg/util/validation), optimistic concurrency.
 */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME_KINDS = new Set(['Namespace', 'Service']);
// RBAC objects only need a valid path segment name (ValidateRBACName = path.ValidatePathSegmentName).
const PATH_SEGMENT_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

function nameProblem(kind: string, name: string): string | undefined {
  if (PATH_SEGMENT_KINDS.has(kind)) {
    return name === '.' || name === '..' || /[/%]/.test(name)
      ? `may not be '.', '..' or contain '/' or '%'`
      : undefined;
  }
  if (LABEL_NAME_KINDS.has(kind)) {
    return name.length <= 63 && DNS_LABEL.test(name)
      ? undefined
      : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  }
  return name.length <= 253 && DNS_SUBDOMAIN.test(name)
    ? undefined
    : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
}

/** Checks a body against the URL it was sent to and returns it typed; fills generateName. */
export function checkWriteBody(
  body: unknown,
  type: ResourceType,
  namespace: string | undefined,
  urlName?: string,
): KubeObject {
  if (!isObject(body)) throw badRequest(`the body of a ${type.kind} write must be a JSON object`);
  const object = body as KubeObject;
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw badRequest(
      `the kind of the provided object (${String(object.kind)}) does not match the resource ${type.resource} (${type.kind})`,
    );
  }
  if (object.apiVersion !== undefined && object.apiVersion !== groupVersion(type)) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${groupVersion(type)})`,
    );
  }
  if (object.metadata !== undefined && !isObject(object.metadata))
    throw badRequest('metadata must be an object');
  object.metadata ??= {};
  const metadata = object.metadata;
  if (type.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    metadata.namespace = namespace;
  }
  if (
    (metadata.name === undefined || metadata.name === '') &&
    typeof metadata.generateName === 'string' &&
    !urlName
  ) {
    metadata.name = `${metadata.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
  }
  if (urlName !== undefined && metadata.name !== undefined && metadata.name !== urlName) {
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${urlName})`,
    );
  }
  if (urlName !== undefined) metadata.name ??= urlName;
  checkName(type, object);
  return object;
}

function checkName(type: ResourceType, object: KubeObject): void {
  const name = object.metadata?.name;
  const causes: StatusCause[] = [];
  if (typeof name !== 'string' || name === '') {
    causes.push({
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
      reason: 'FieldValueRequired',
    });
  } else {
    const problem = nameProblem(type.kind, name);
    if (problem)
      causes.push({
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${problem}`,
        reason: 'FieldValueInvalid',
      });
  }
  for (const field of ['labels', 'annotations'] as const) {
    const map = object.metadata?.[field];
    if (map === undefined || map === null) continue;
    const values = isObject(map) ? Object.values(map) : [0];
    if (values.some((v) => typeof v !== 'string')) {
      causes.push({
        field: `metadata.${field}`,
        message: 'Invalid value: must be a map of strings',
        reason: 'FieldValueInvalid',
      });
    }
  }
  if (causes.length > 0) throw invalid(type.kind, type.group, typeof name === 'string' ? name : '', causes);
}

/** Optimistic concurrency: a write naming a resourceVersion must name the stored one. */
export function checkResourceVersion(type: ResourceType, stored: KubeObject, requested: unknown): void {
  if (requested === undefined || requested === null || requested === '') return;
  if (String(requested) !== stored.metadata?.resourceVersion) {
    throw conflict(
      { group: type.group, resource: type.resource, name: String(stored.metadata?.name) },
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
}

// Types whose status is written only through the /status subresource (their strategies reset it).
const STATUS_TYPES = new Set([
  'Namespace',
  'Pod',
  'Service',
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

export function hasStatusSubresource(type: ResourceType): boolean {
  return STATUS_TYPES.has(type.kind);
}

/** What a create stores as status: Pods start Pending, Namespaces Active, other status-bearing types empty. */
export function initialStatus(type: ResourceType, object: KubeObject): void {
  if (!hasStatusSubresource(type)) return;
  delete object.status;
  if (type.kind === 'Pod') object.status = { phase: 'Pending' };
  if (type.kind === 'Namespace') object.status = { phase: 'Active' };
}

/** Secrets: stringData is write-only sugar, merged into data base64-encoded (core/v1 Secret docs). */
export function foldStringData(type: ResourceType, object: KubeObject): void {
  if (type.kind !== 'Secret' || !isObject(object.stringData)) return;
  const data: Record<string, unknown> = isObject(object.data) ? { ...object.data } : {};
  for (const [key, value] of Object.entries(object.stringData))
    data[key] = Buffer.from(String(value)).toString('base64');
  object.data = data;
  delete object.stringData;
}
