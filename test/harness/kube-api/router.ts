import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { AGGREGATED_V2, aggregatedDiscovery, wantsAggregated } from './aggregated-discovery.js';
import type { AggregationLayer, ApiServiceRoute } from './aggregation.js';
import { aggregatedAttributes, servedGroupDiscovery } from './aggregation-routing.js';
import type { AccessAttributes, Authority, KubeUser } from './auth.js';
import { review } from './auth-reviews.js';
import { decodeBody, readBody, sendJson, sendStatus } from './body.js';
import { deleteCollection, deleteObject } from './delete-handlers.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.js';
import { openApiV3Document, openApiV3Root } from './openapi.js';
import { isObject } from './patch.js';
import { type ServiceProxy, writeRawStatus } from './proxy.js';
import { getObject, listObjects } from './read-handlers.js';
import { type ResourceRequest, resourceRequestOf } from './request-info.js';
import { SCALABLE, serveScale } from './scale.js';
import {
  badRequest,
  forbidden,
  KubeApiError,
  methodNotAllowed,
  pathNotFound,
  unauthorized,
} from './status.js';
import type { KubeObject, KubeStore } from './store.js';
import type { WatchHub } from './watch.js';
import { createObject, patchObject, type Reply, updateObject } from './write-handlers.js';

/**
 * Request pipeline in kube-apiserver's order: authenticate (bearer token, 401), build the request
 * attributes, authorize (403), then serve discovery, a resource verb, a watch, or the service proxy.
 */
const WS_BEARER = 'base64url.bearer.authorization.k8s.io.';
const METHOD_VERBS: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export interface RouterParts {
  store: KubeStore;
  authority: Authority;
  proxy: ServiceProxy;
  aggregation: AggregationLayer;
  watches: WatchHub;
  serverAddress: () => string;
}

function isWatch(info: ResourceRequest, url: URL): boolean {
  return info.legacyWatch || ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
}

function resourceVerb(method: string, info: ResourceRequest, url: URL): string {
  if (info.subresource === 'proxy') return METHOD_VERBS[method] ?? method.toLowerCase();
  if (method === 'GET' && info.name === undefined) return isWatch(info, url) ? 'watch' : 'list';
  if (method === 'DELETE' && info.name === undefined) return 'deletecollection';
  return METHOD_VERBS[method] ?? method.toLowerCase();
}

/** WebSocket clients that cannot set headers send the token as a subprotocol; it is removed once read. */
function webSocketToken(request: IncomingMessage): string | undefined {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const protocols = header.split(',').map((p) => p.trim());
  const bearer = protocols.find((p) => p.startsWith(WS_BEARER));
  if (!bearer) return undefined;
  const rest = protocols.filter((p) => p !== bearer);
  if (rest.length > 0) request.headers['sec-websocket-protocol'] = rest.join(', ');
  else delete request.headers['sec-websocket-protocol'];
  return Buffer.from(bearer.slice(WS_BEARER.length), 'base64url').toString('utf8');
}

export class KubeApiRouter {
  constructor(private readonly parts: RouterParts) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://harness');
      const user = this.authenticate(request);
      const route = this.parts.aggregation.routeFor(url.pathname);
      if (route) {
        const { service } = this.authorizeAggregated(route, user, request.method ?? 'GET', url);
        const via = this.parts.aggregation.via(route, user);
        return this.parts.proxy.forward(
          service.namespace,
          service.segment,
          url.pathname,
          url,
          request,
          response,
          via,
        );
      }
      const info = resourceRequestOf(url.pathname);
      if (!info) return await this.nonResource(user, url, request, response);
      this.authorize(user, request.method ?? 'GET', info, url);
      if (info.subresource === 'proxy') {
        return this.parts.proxy.forward(
          info.namespace ?? '',
          info.name ?? '',
          info.proxyPath,
          url,
          request,
          response,
        );
      }
      if (request.method === 'GET' && isWatch(info, url)) {
        return this.parts.watches.serve(this.watchTarget(info, url), url, request.headers.accept, response);
      }
      const reply = await this.resource(user, info, url, request);
      sendJson(response, reply.code, reply.body);
    } catch (error) {
      this.fail(response, error);
    }
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      const url = new URL(request.url ?? '/', 'http://harness');
      const token = webSocketToken(request);
      const user = this.authenticate(request, token);
      const route = this.parts.aggregation.routeFor(url.pathname);
      if (route) {
        // Upgrades to aggregated APIs (as `kubectl exec` to pods/exec) go to the backend like any request.
        const { service } = this.authorizeAggregated(route, user, request.method ?? 'GET', url);
        const via = this.parts.aggregation.via(route, user);
        this.parts.proxy.upgrade(
          service.namespace,
          service.segment,
          url.pathname,
          url,
          request,
          socket,
          head,
          via,
        );
        return;
      }
      const info = resourceRequestOf(url.pathname);
      if (info?.subresource !== 'proxy')
        throw badRequest('only the service proxy accepts connection upgrades');
      this.authorize(user, request.method ?? 'GET', info!, url);
      this.parts.proxy.upgrade(
        info.namespace ?? '',
        info.name ?? '',
        info.proxyPath,
        url,
        request,
        socket,
        head,
      );
    } catch (error) {
      const status =
        error instanceof KubeApiError
          ? error
          : new KubeApiError({ ...badRequest(String(error)).body, code: 500, reason: 'InternalError' });
      writeRawStatus(socket, status.code, status.body);
    }
  }

  private fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof KubeApiError) {
      sendStatus(response, error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendStatus(
      response,
      new KubeApiError({ ...badRequest(message).body, code: 500, reason: 'InternalError' }),
    );
  }

  private authenticate(request: IncomingMessage, fallbackToken?: string): KubeUser {
    const user = this.parts.authority.authenticate(this.parts.authority.tokenOf(request) ?? fallbackToken);
    if (!user) throw unauthorized();
    // Authentication done: the credential goes no further (kube-apiserver's WithAuthentication).
    delete request.headers.authorization;
    return user;
  }

  private authorize(user: KubeUser, method: string, info: ResourceRequest, url: URL): void {
    const attributes: AccessAttributes = {
      user,
      verb: resourceVerb(method, info, url),
      apiGroup: info.type.group,
      resource: info.type.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      name: info.name,
    };
    if (this.parts.authority.authorize(attributes).allowed) return;
    throw forbidden(
      user.username,
      attributes.verb,
      { group: info.type.group, resource: info.type.resource, name: info.name },
      info.namespace,
    );
  }

  /** kube-apiserver authorizes aggregated requests too (RBAC on the group's resources) before proxying. */
  private authorizeAggregated(
    route: ApiServiceRoute,
    user: KubeUser,
    method: string,
    url: URL,
  ): { service: { namespace: string; segment: string } } {
    const attributes = aggregatedAttributes(route, user, method, url);
    if (!this.parts.authority.authorize(attributes).allowed) {
      throw forbidden(
        user.username,
        attributes.verb,
        attributes.resource === undefined
          ? { group: '', resource: attributes.path ?? url.pathname }
          : { group: route.group, resource: attributes.resource, name: attributes.name },
        attributes.namespace,
      );
    }
    return {
      service: { namespace: route.service.namespace, segment: `${route.service.name}:${route.service.port}` },
    };
  }

  /** `GET .../pods/<name>?watch=1` watches that one object, like a metadata.name field selector. */
  private watchTarget(info: ResourceRequest, url: URL): ResourceRequest {
    if (info.name === undefined) return info;
    const selector = url.searchParams.get('fieldSelector');
    url.searchParams.set('fieldSelector', [selector, `metadata.name=${info.name}`].filter(Boolean).join(','));
    return { ...info, name: undefined };
  }

  private async resource(
    user: KubeUser,
    info: ResourceRequest,
    url: URL,
    request: IncomingMessage,
  ): Promise<Reply> {
    const { store } = this.parts;
    const method = request.method ?? 'GET';
    const ctx = { store, info, url, request };
    if (info.type.createOnly) {
      if (method !== 'POST') throw methodNotAllowed(method);
      const body = decodeBody(await readBody(request), request.headers['content-type']);
      if (!isObject(body)) throw badRequest(`a ${info.type.kind} must be a JSON object`);
      return { code: 201, body: review(info.type, body as KubeObject, this.parts.authority, user) };
    }
    if (info.subresource === 'scale' && SCALABLE.has(info.type.kind)) return serveScale(ctx);
    if (method === 'GET') {
      return info.name === undefined
        ? listObjects(store, info, url, request.headers.accept)
        : getObject(store, info, url, request.headers.accept);
    }
    if (method === 'POST' && info.name === undefined) return createObject(ctx);
    if (method === 'PUT' && info.name !== undefined) return updateObject(ctx);
    if (method === 'PATCH' && info.name !== undefined) return patchObject(ctx);
    if (method === 'DELETE') return info.name === undefined ? deleteCollection(ctx) : deleteObject(ctx);
    throw methodNotAllowed(method);
  }

  private async nonResource(
    user: KubeUser,
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.pathname.replace(/\/$/, '') || '/';
    const attributes: AccessAttributes = { user, verb: (request.method ?? 'GET').toLowerCase(), path };
    if (!this.parts.authority.authorize(attributes).allowed)
      throw forbidden(user.username, attributes.verb, { group: '', resource: path });
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void response.end('ok');
    }
    if ((path === '/api' || path === '/apis') && wantsAggregated(request.headers.accept)) {
      const served =
        path === '/api' ? [] : await servedGroupDiscovery(this.parts.aggregation, this.parts.proxy);
      sendJson(response, 200, aggregatedDiscovery(path === '/api', served), AGGREGATED_V2);
      return;
    }
    const body = this.discovery(path);
    if (body === undefined) throw pathNotFound(url.pathname);
    sendJson(response, 200, body);
  }

  private discovery(path: string): unknown {
    const segments = path.split('/').slice(1);
    if (path === '/version') return SERVER_VERSION;
    if (path === '/api') return apiVersions(this.parts.serverAddress());
    if (path === '/apis') return apiGroupList(this.parts.aggregation.groups());
    if (path === '/openapi/v3') return openApiV3Root();
    if (path.startsWith('/openapi/v3/')) return openApiV3Document(path.slice('/openapi/v3/'.length));
    if (segments[0] === 'api' && segments.length === 2) return apiResourceList('', segments[1]!);
    if (segments[0] === 'apis' && segments.length === 2)
      return apiGroup(segments[1]!, this.parts.aggregation.groups());
    if (segments[0] === 'apis' && segments.length === 3) return apiResourceList(segments[1]!, segments[2]!);
    return undefined;
  }
}
