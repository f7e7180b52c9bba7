import type { ResourceRequest } from './request-info.js';
import { groupVersion } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, expired, notFound } from './status.js';
import type { KubeObject, KubeStore } from './store.js';
import { toTable, wantsTable } from './table.js';
import type { Reply } from './write-handlers.js';

/**
 * get and list. Lists filter by labelSelector and fieldSelector and page with limit/continue
 * (kubernetes.io/docs/reference/using-api/api-concepts/#retrieving-large-results-sets-in-chunks);
 * a continue token from before the last compaction is 410 Expired, as upstream.
 */
interface ContinueToken {
  rv: number;
  start: string;
}

function objectKey(o: KubeObject): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return parsed;
  } catch {
    // fall through to the error below
  }
  throw badRequest(`continue key is not valid: ${JSON.stringify(token)}`);
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The objects a list (or deletecollection) request names, selectors applied. */
export function listMatching(store: KubeStore, info: ResourceRequest, url: URL): KubeObject[] {
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), info.type.kind);
  return store.list(info.type, info.namespace).filter((o) => labels(o) && fields(o));
}

function listKind(info: ResourceRequest): { kind: string; apiVersion: string } {
  return { kind: `${info.type.kind}List`, apiVersion: groupVersion(info.type) };
}

/** Items of a list carry no kind/apiVersion: the list's own say what they are. */
function asItem(o: KubeObject): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

function page(store: KubeStore, info: ResourceRequest, url: URL) {
  const token = url.searchParams.get('continue');
  const start = token ? decodeContinue(token) : undefined;
  if (start && store.eventsSince(start.rv) === 'expired') {
    throw expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  let items = listMatching(store, info, url);
  if (start) items = items.filter((o) => objectKey(o) > start.start);
  const limit = Number(url.searchParams.get('limit') ?? '0');
  const meta: Record<string, unknown> = { resourceVersion: String(start?.rv ?? store.resourceVersion) };
  if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
    meta.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    meta.continue = encodeContinue({
      rv: start?.rv ?? store.resourceVersion,
      start: objectKey(items[items.length - 1]!),
    });
  }
  return { items, meta };
}

export function listObjects(
  store: KubeStore,
  info: ResourceRequest,
  url: URL,
  accept: string | undefined,
): Reply {
  const { items, meta } = page(store, info, url);
  if (wantsTable(accept)) {
    return {
      code: 200,
      body: toTable(info.type.kind, items, meta, url.searchParams.get('includeObject') ?? undefined),
    };
  }
  return { code: 200, body: { ...listKind(info), metadata: meta, items: items.map(asItem) } };
}

export function getObject(
  store: KubeStore,
  info: ResourceRequest,
  url: URL,
  accept: string | undefined,
): Reply {
  if (info.subresource !== undefined && info.subresource !== 'status') {
    throw badRequest(`the harness does not serve the ${info.type.resource}/${info.subresource} subresource`);
  }
  const object = store.get(info.type, info.namespace ?? '', info.name ?? '');
  if (!object) throw notFound({ group: info.type.group, resource: info.type.resource, name: info.name });
  if (wantsTable(accept)) {
    const meta = { resourceVersion: object.metadata?.resourceVersion };
    return {
      code: 200,
      body: toTable(info.type.kind, [object], meta, url.searchParams.get('includeObject') ?? undefined),
    };
  }
  return { code: 200, body: object };
}
