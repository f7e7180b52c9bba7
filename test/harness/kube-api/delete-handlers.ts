import { decodeBody, readBody } from './body.js';
import { isObject } from './patch.js';
import { listMatching } from './read-handlers.js';
import { RESOURCE_TYPES } from './resources.js';
import { conflict, notFound } from './status.js';
import { type KubeObject, kubeTime } from './store.js';
import type { Reply, WriteContext } from './write-handlers.js';

/**
 * delete and deletecollection. DeleteOptions preconditions (uid, resourceVersion) are honoured; an
 * object with finalizers is only marked (deletionTimestamp) until its finalizers are removed; deleting
 * a namespace removes what it holds at once (the namespace controller's work, done synchronously).
 */
async function deleteOptions(ctx: WriteContext): Promise<Record<string, unknown>> {
  const body = await readBody(ctx.request);
  if (body.toString('utf8').trim() === '') return {};
  const decoded = decodeBody(body, ctx.request.headers['content-type'] ?? 'application/json');
  return isObject(decoded) ? decoded : {};
}

function checkPreconditions(ctx: WriteContext, object: KubeObject, options: Record<string, unknown>): void {
  const pre = isObject(options.preconditions) ? options.preconditions : {};
  const t = {
    group: ctx.info.type.group,
    resource: ctx.info.type.resource,
    name: String(object.metadata?.name),
  };
  if (typeof pre.uid === 'string' && pre.uid !== object.metadata?.uid) {
    throw conflict(
      t,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${object.metadata?.uid}`,
    );
  }
  if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== object.metadata?.resourceVersion) {
    throw conflict(
      t,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${object.metadata?.resourceVersion}`,
    );
  }
}

// How long a deleted namespace stays Terminating before the "namespace controller" empties it.
const NAMESPACE_CLEANUP_MS = 100;

function removeNamespaceContents(ctx: WriteContext, namespace: string): void {
  for (const type of RESOURCE_TYPES.filter((t) => t.namespaced && !t.createOnly)) {
    for (const object of ctx.store.list(type, namespace))
      ctx.store.remove(type, namespace, String(object.metadata?.name));
  }
}

/** A deleted namespace turns Terminating; shortly after, its contents and then itself are removed. */
function terminateNamespace(ctx: WriteContext, namespace: KubeObject): KubeObject {
  if (namespace.metadata?.deletionTimestamp) return namespace;
  const name = String(namespace.metadata?.name);
  namespace.metadata!.deletionTimestamp = kubeTime();
  namespace.status = { ...(isObject(namespace.status) ? namespace.status : {}), phase: 'Terminating' };
  const marked = ctx.store.update(ctx.info.type, namespace);
  const { store, info } = ctx;
  setTimeout(() => {
    removeNamespaceContents(ctx, name);
    store.remove(info.type, '', name);
  }, NAMESPACE_CLEANUP_MS).unref();
  return marked;
}

/** Deletes one stored object, or marks it when finalizers hold it; returns what the API returns. */
function deleteOne(ctx: WriteContext, object: KubeObject, dryRun: boolean): KubeObject {
  const { type } = ctx.info;
  const name = String(object.metadata?.name);
  const namespace = String(object.metadata?.namespace ?? '');
  const finalizers = object.metadata?.finalizers;
  if (Array.isArray(finalizers) && finalizers.length > 0) {
    if (dryRun || object.metadata?.deletionTimestamp) return object;
    object.metadata!.deletionTimestamp = kubeTime();
    object.metadata!.deletionGracePeriodSeconds = 0;
    return ctx.store.update(type, object);
  }
  if (dryRun) return object;
  if (type.kind === 'Namespace') return terminateNamespace(ctx, object);
  return ctx.store.remove(type, namespace, name) ?? object;
}

export async function deleteObject(ctx: WriteContext): Promise<Reply> {
  const { type, namespace, name } = ctx.info;
  const options = await deleteOptions(ctx);
  const object = ctx.store.get(type, namespace ?? '', name ?? '');
  if (!object) throw notFound({ group: type.group, resource: type.resource, name });
  checkPreconditions(ctx, object, options);
  const dryRun =
    ctx.url.searchParams.getAll('dryRun').includes('All') ||
    (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
  return { code: 200, body: deleteOne(ctx, object, dryRun) };
}

export async function deleteCollection(ctx: WriteContext): Promise<Reply> {
  await deleteOptions(ctx);
  const dryRun = ctx.url.searchParams.getAll('dryRun').includes('All');
  const deleted = listMatching(ctx.store, ctx.info, ctx.url).map((object) => deleteOne(ctx, object, dryRun));
  const { type } = ctx.info;
  return {
    code: 200,
    body: {
      kind: `${type.kind}List`,
      apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`,
      metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      items: deleted,
    },
  };
}
