import type { IncomingMessage } from 'node:http';
import { decodeBody, mediaType, readBody } from './body.js';
import { applyDefaults } from './defaults.js';
import { recordUpdate, serverSideApply } from './managed-fields.js';
import {
  checkResourceVersion,
  checkWriteBody,
  foldStringData,
  hasStatusSubresource,
  initialStatus,
} from './object-checks.js';
import { isObject, jsonPatch, mergePatch } from './patch.js';
import type { ResourceRequest } from './request-info.js';
import { findType, type ResourceType } from './resources.js';
import {
  alreadyExists,
  badRequest,
  invalid,
  namespaceTerminating,
  notFound,
  unsupportedMediaType,
} from './status.js';
import type { KubeObject, KubeStore } from './store.js';
import { strategicMergePatch } from './strategic-merge.js';

/** create (POST), update (PUT) and patch (PATCH, including server-side apply) of stored objects. */
export interface Reply {
  code: number;
  body: unknown;
}

export interface WriteContext {
  store: KubeStore;
  info: ResourceRequest;
  url: URL;
  request: IncomingMessage;
}

const NAMESPACES = findType('', 'v1', 'namespaces')!;

function target(info: ResourceRequest, name?: string) {
  return { group: info.type.group, resource: info.type.resource, name: name ?? info.name };
}

/** The field manager: the `fieldManager` parameter, else the User-Agent's program name (as upstream). */
export function managerOf(ctx: WriteContext): string {
  const param = ctx.url.searchParams.get('fieldManager');
  if (param) return param;
  return (ctx.request.headers['user-agent'] ?? 'unknown').split('/')[0]!.trim() || 'unknown';
}

function dryRun(ctx: WriteContext): boolean {
  return ctx.url.searchParams.getAll('dryRun').includes('All');
}

function requireNamespace(ctx: WriteContext, type: ResourceType, namespace: string | undefined): void {
  if (!type.namespaced) return;
  if (!namespace) throw badRequest(`a ${type.kind} must be created in a namespace`);
  // NamespaceLifecycle admission: no objects in a namespace that does not exist.
  const found = ctx.store.get(NAMESPACES, '', namespace);
  if (!found) throw notFound({ group: '', resource: 'namespaces', name: namespace });
  if (found.metadata?.deletionTimestamp) throw namespaceTerminating(namespace);
}

function store(ctx: WriteContext, before: KubeObject | undefined, after: KubeObject): KubeObject {
  foldStringData(ctx.info.type, after);
  applyDefaults(ctx.info.type, after);
  recordUpdate(before, after, managerOf(ctx));
  if (dryRun(ctx)) return after;
  if (!before) return ctx.store.create(ctx.info.type, after);
  const saved = ctx.store.update(ctx.info.type, after);
  // An object marked for deletion goes once its last finalizer is removed.
  const finalizers = saved.metadata?.finalizers;
  if (saved.metadata?.deletionTimestamp && !(Array.isArray(finalizers) && finalizers.length > 0)) {
    return (
      ctx.store.remove(ctx.info.type, String(saved.metadata.namespace ?? ''), String(saved.metadata.name)) ??
      saved
    );
  }
  return saved;
}

export async function createObject(ctx: WriteContext): Promise<Reply> {
  const { type, namespace } = ctx.info;
  const object = checkWriteBody(
    decodeBody(await readBody(ctx.request), ctx.request.headers['content-type']),
    type,
    namespace,
  );
  requireNamespace(ctx, type, namespace);
  const name = String(object.metadata!.name);
  if (ctx.store.get(type, namespace ?? '', name)) throw alreadyExists(target(ctx.info, name));
  delete object.metadata!.resourceVersion;
  delete object.metadata!.managedFields;
  initialStatus(type, object);
  return { code: 201, body: store(ctx, undefined, object) };
}

function existing(ctx: WriteContext): KubeObject {
  const found = ctx.store.get(ctx.info.type, ctx.info.namespace ?? '', ctx.info.name ?? '');
  if (!found) throw notFound(target(ctx.info));
  return found;
}

/** Keeps what a write to the main resource or to /status may not change. */
function confine(ctx: WriteContext, before: KubeObject, after: KubeObject): KubeObject {
  const { type, subresource } = ctx.info;
  if (subresource === 'status') return { ...before, status: after.status, metadata: before.metadata };
  if (!hasStatusSubresource(type)) return after;
  const result = { ...after };
  if (before.status === undefined) delete result.status;
  else result.status = before.status;
  return result;
}

function checkSubresource(info: ResourceRequest): void {
  if (info.subresource !== undefined && info.subresource !== 'status') {
    throw badRequest(`the harness does not serve the ${info.type.resource}/${info.subresource} subresource`);
  }
}

export async function updateObject(ctx: WriteContext): Promise<Reply> {
  checkSubresource(ctx.info);
  const decoded = decodeBody(await readBody(ctx.request), ctx.request.headers['content-type']);
  const object = checkWriteBody(decoded, ctx.info.type, ctx.info.namespace, ctx.info.name);
  const before = existing(ctx);
  checkResourceVersion(ctx.info.type, before, object.metadata?.resourceVersion);
  if (!Array.isArray(object.metadata?.managedFields))
    object.metadata!.managedFields = before.metadata?.managedFields;
  return { code: 200, body: store(ctx, before, confine(ctx, before, object)) };
}

function patched(type: ResourceType, before: KubeObject, kind: string, body: unknown): unknown {
  switch (kind) {
    case 'application/json-patch+json':
      return jsonPatch(before, body);
    case 'application/merge-patch+json':
      return mergePatch(before, body);
    case 'application/strategic-merge-patch+json':
      // Strategic merge needs Go struct tags: custom resources (Istio) reject it, as upstream does.
      if (type.group.endsWith('istio.io')) throw unsupportedMediaType(kind);
      return strategicMergePatch(before, body);
    default:
      throw unsupportedMediaType(kind);
  }
}

async function apply(ctx: WriteContext, body: unknown): Promise<Reply> {
  const { type, namespace, name } = ctx.info;
  const manager = ctx.url.searchParams.get('fieldManager');
  if (!manager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [
      { field: 'fieldManager', message: 'Required value: is required for apply patch' },
    ]);
  }
  const applied = checkWriteBody(body, type, namespace, name);
  delete applied.metadata!.managedFields;
  const before = ctx.store.get(type, namespace ?? '', name ?? '');
  if (!before) requireNamespace(ctx, type, namespace);
  if (before) checkResourceVersion(type, before, applied.metadata?.resourceVersion);
  delete applied.metadata!.resourceVersion;
  const force = ['true', '1'].includes(ctx.url.searchParams.get('force') ?? '');
  let result = serverSideApply(before, applied, manager, force, { ...target(ctx.info), name: name ?? '' });
  if (before) result = confine(ctx, before, result);
  else initialStatus(type, result);
  foldStringData(type, result);
  applyDefaults(type, result);
  if (dryRun(ctx)) return { code: before ? 200 : 201, body: result };
  const saved = before ? ctx.store.update(type, result) : ctx.store.create(type, result);
  return { code: before ? 200 : 201, body: saved };
}

export async function patchObject(ctx: WriteContext): Promise<Reply> {
  checkSubresource(ctx.info);
  const kind = mediaType(ctx.request.headers['content-type']);
  const body = decodeBody(await readBody(ctx.request), kind);
  if (kind === 'application/apply-patch+yaml') return apply(ctx, body);
  const before = existing(ctx);
  const after = patched(ctx.info.type, before, kind, body);
  if (!isObject(after)) throw badRequest('the patch did not yield an object');
  const object = checkWriteBody(after, ctx.info.type, ctx.info.namespace, ctx.info.name);
  const patchRv = isObject(body) && isObject(body.metadata) ? body.metadata.resourceVersion : undefined;
  checkResourceVersion(ctx.info.type, before, patchRv);
  return { code: 200, body: store(ctx, before, confine(ctx, before, object)) };
}
