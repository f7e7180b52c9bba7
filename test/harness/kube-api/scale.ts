import { decodeBody, mediaType, readBody } from './body.js';
import { recordUpdate } from './managed-fields.js';
import { checkResourceVersion } from './object-checks.js';
import { isObject, jsonPatch, mergePatch } from './patch.js';
import { badRequest, notFound, unsupportedMediaType } from './status.js';
import type { KubeObject } from './store.js';
import { managerOf, type Reply, type WriteContext } from './write-handlers.js';

/**
 * The scale subresource (autoscaling/v1 Scale) of Deployments, StatefulSets and ReplicaSets, which
 * `kubectl scale` patches: spec.replicas maps to the parent's spec.replicas.
 */
export const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function selectorString(selector: unknown): string {
  if (!isObject(selector)) return '';
  const parts = Object.entries(isObject(selector.matchLabels) ? selector.matchLabels : {}).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObject(e)) continue;
    const values = Array.isArray(e.values) ? e.values.join(',') : '';
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    if (e.operator === 'Exists') parts.push(String(e.key));
    if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

function toScale(parent: KubeObject): KubeObject {
  const meta = parent.metadata ?? {};
  const spec = isObject(parent.spec) ? parent.spec : {};
  const status = isObject(parent.status) ? parent.status : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: selectorString(spec.selector),
    },
  };
}

function parentOf(ctx: WriteContext): KubeObject {
  const { type, namespace, name } = ctx.info;
  const parent = ctx.store.get(type, namespace ?? '', name ?? '');
  if (!parent) throw notFound({ group: type.group, resource: type.resource, name });
  return parent;
}

async function changedScale(ctx: WriteContext, current: KubeObject): Promise<KubeObject> {
  const kind = mediaType(ctx.request.headers['content-type']);
  const body = decodeBody(await readBody(ctx.request), kind);
  if (ctx.request.method === 'PUT') return body as KubeObject;
  if (kind === 'application/json-patch+json') return jsonPatch(current, body) as KubeObject;
  if (kind === 'application/merge-patch+json' || kind === 'application/strategic-merge-patch+json') {
    return mergePatch(current, body) as KubeObject;
  }
  throw unsupportedMediaType(kind);
}

export async function serveScale(ctx: WriteContext): Promise<Reply> {
  const parent = parentOf(ctx);
  const current = toScale(parent);
  if (ctx.request.method === 'GET') return { code: 200, body: current };
  if (ctx.request.method !== 'PUT' && ctx.request.method !== 'PATCH')
    throw badRequest(`scale does not take ${ctx.request.method}`);
  const wanted = await changedScale(ctx, current);
  checkResourceVersion(
    ctx.info.type,
    parent,
    wanted.metadata?.resourceVersion === current.metadata?.resourceVersion
      ? undefined
      : wanted.metadata?.resourceVersion,
  );
  const replicas = isObject(wanted.spec) ? wanted.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest(
      `Scale.autoscaling "${ctx.info.name}" is invalid: spec.replicas: must be a non-negative integer`,
    );
  }
  const next: KubeObject = { ...parent, spec: { ...(parent.spec as object), replicas } };
  // Ownership of spec.replicas moves to the scaler, as with any update.
  recordUpdate(parent, next, managerOf(ctx));
  const updated = ctx.store.update(ctx.info.type, next);
  return { code: 200, body: toScale(updated) };
}
