import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Bus } from '../../core/bus/bus.js';
import type { Finding } from '../../core/model/index.js';
import { SECO_API_GROUP, SESSION_PATH } from '../../core/protocol/seco-api.js';
import { closeServer, listenOn } from '../../core/service/server-lifecycle.js';
import type { Access, Caller } from '../access.js';
import type { AlertIntake } from '../alert-intake.js';
import { visibleFindings } from '../finding-visibility.js';
import { frontProxyCaller } from '../request-header-auth.js';
import type { RequestHeaderSource } from '../request-header-source.js';
import type { ScanCoordinator } from '../scan-coordinator.js';
import { createAlert } from './alerts-resource.js';
import { ApiChangeFeed } from './api-change-feed.js';
import { collection } from './api-collection.js';
import { apiGroupDocument, apiGroupListDocument, apiResourceListDocument } from './api-discovery.js';
import { type ApiRequest, apiRequestOf, fieldSelectorOf, wantsTable } from './api-request.js';
import { ApiError, apiErrors, sendError, sendObject, statusBody } from './api-status.js';
import { toTable } from './api-table.js';
import { EVENT_COLUMNS, eventObject, recentEventFindings } from './events-resource.js';
import {
  FINDING_COLUMNS,
  findingObject,
  getFindingObject,
  latestFindingEntries,
} from './findings-resource.js';
import { readJsonBody } from './read-json-body.js';
import { SCAN_COLUMNS } from './scan-objects.js';
import { createScanObject, getScanEntry, listScanEntries, scanForCaller } from './scans-resource.js';

export interface SecoApiOptions {
  /** The serving certificate the APIService's caBundle vouches for (PEM). */
  tls: { cert: string; key: string };
  requestHeader: RequestHeaderSource;
  coordinator: ScanCoordinator;
  access: Access;
  bus: Bus;
  alerts: AlertIntake;
  /** Hands an upgraded `sessions/client` connection to the WebSocket protocol, its caller known. */
  acceptSession: (request: IncomingMessage, socket: Duplex, head: Buffer, caller: Caller) => void;
}

/**
 * seco.dev/v1alpha1, the aggregated API the APIService points the API server at (docs/api-access.md).
 * HTTPS only; every request must come from the API server — a client certificate the requestheader CA
 * signed — whose front-proxy headers then say who the user is (request-header-auth.ts). Each request is
 * authorized with a SubjectAccessReview on its seco.dev resource, as any Kubernetes API authorizes.
 */
export class SecoApiServer {
  private readonly server: Server;
  /** What watches follow: changes of scans, findings and runtime events as this replica sees them. */
  private readonly feed: ApiChangeFeed;

  constructor(private readonly options: SecoApiOptions) {
    this.feed = new ApiChangeFeed(options.coordinator, options.bus);
    const ca = options.requestHeader.current()?.clientCa;
    this.server = createServer(
      { ...options.tls, ...(ca ? { ca } : {}), requestCert: true, rejectUnauthorized: false },
      (request, response) => void this.handle(request, response),
    );
    this.server.on('upgrade', (request, socket, head) => void this.upgrade(request, socket, head));
    // The requestheader CA rotates with the cluster's: later connections verify against the new one.
    options.requestHeader.onChange((config) =>
      this.server.setSecureContext({ ...options.tls, ca: config.clientCa }),
    );
    this.server.headersTimeout = 10_000;
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await this.feed.start();
    return listenOn(this.server, host, port);
  }

  close(): Promise<void> {
    this.feed.stop();
    return closeServer(this.server);
  }

  private caller(request: IncomingMessage): Caller {
    const config = this.options.requestHeader.current();
    if (!config)
      throw apiErrors.unauthorized('the requestheader CA is not loaded (extension-apiserver-authentication)');
    const found = frontProxyCaller(request, config);
    if (!found.ok) throw apiErrors.unauthorized(found.reason);
    return found.caller;
  }

  private async authorize(caller: Caller, info: ApiRequest): Promise<void> {
    const check = { verb: info.verb, resource: info.resource, namespace: info.namespace, name: info.name };
    if (!(await this.options.access.may(caller, check)))
      throw apiErrors.forbidden(caller.name, info.verb, info.resource, info.namespace, info.name);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const caller = this.caller(request);
      const url = new URL(request.url ?? '/', 'https://seco');
      const path = url.pathname.replace(/\/+$/, '');
      // Discovery is open to every authenticated user, as the system:discovery ClusterRole makes it upstream.
      if (path === '/apis') return sendObject(response, 200, apiGroupListDocument());
      if (path === `/apis/${SECO_API_GROUP}`) return sendObject(response, 200, apiGroupDocument());
      const info = apiRequestOf(request.method ?? 'GET', url);
      if (!info) return sendObject(response, 200, apiResourceListDocument());
      await this.authorize(caller, info);
      await this.serve(caller, info, url, request, response);
    } catch (error) {
      sendError(response, error);
    }
  }

  private async serve(
    caller: Caller,
    info: ApiRequest,
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const { coordinator, access, bus } = this.options;
    const table = wantsTable(request.headers.accept);
    const fields = fieldSelectorOf(url);
    const namespace = info.namespace ?? fields.namespace;
    const selected = (metadata: { name: string; namespace?: string }) =>
      (fields.name === undefined || metadata.name === fields.name) &&
      (namespace === undefined || metadata.namespace === namespace);
    const scanOf = (entry: Parameters<typeof scanForCaller>[3]) =>
      scanForCaller(coordinator, access, caller, entry);
    const findingFor = async ({ finding, scanId }: { finding: Finding; scanId: string }) =>
      selected({ name: finding.id, ...finding.resource }) &&
      (await visibleFindings(access, caller, [finding])).length > 0
        ? findingObject(finding, scanId)
        : undefined;
    // An event in a namespace is the watcher's to see: RBAC let them list or watch events there (or
    // everywhere). A node's own event needs `get` on that node, as its findings do (finding-visibility.ts).
    const eventFor = async (finding: Finding) =>
      selected({ name: finding.id, ...finding.resource }) &&
      (finding.resource.namespace !== undefined ||
        (await visibleFindings(access, caller, [finding])).length > 0)
        ? eventObject(finding)
        : undefined;
    // scans, findings and events are listed and watched alike: only where their objects come from differs.
    const collections = {
      scans: collection({
        kind: 'Scan',
        columns: SCAN_COLUMNS,
        log: this.feed.scans,
        current: () => listScanEntries(coordinator, namespace),
        render: async (entry) => (selected(entry.object.metadata) ? scanOf(entry) : undefined),
      }),
      findings: collection({
        kind: 'Finding',
        columns: FINDING_COLUMNS,
        log: this.feed.findings,
        current: () => latestFindingEntries(coordinator, namespace),
        render: findingFor,
      }),
      events: collection({
        kind: 'RuntimeEvent',
        columns: EVENT_COLUMNS,
        log: this.feed.events,
        current: () => recentEventFindings(bus, namespace),
        render: eventFor,
      }),
    };
    if (info.resource in collections && (info.verb === 'list' || info.verb === 'watch')) {
      const served = collections[info.resource as keyof typeof collections];
      return info.verb === 'list' ? served.list(response, table) : served.watch(response, url, table);
    }
    switch (`${info.resource} ${info.verb}`) {
      case 'scans get': {
        const scan = await scanOf(await getScanEntry(coordinator, info.namespace, info.name!));
        return sendObject(response, 200, table ? toTable(SCAN_COLUMNS, [scan]) : scan);
      }
      case 'scans create': {
        if (!info.namespace)
          throw apiErrors.badRequest('a scan is created in a namespace: .../namespaces/<ns>/scans');
        const body = await readJsonBody(request);
        return sendObject(response, 201, await createScanObject(coordinator, caller, info.namespace, body));
      }
      case 'findings get': {
        const finding = await getFindingObject(coordinator, access, caller, info.namespace, info.name!);
        return sendObject(response, 200, table ? toTable(FINDING_COLUMNS, [finding]) : finding);
      }
      case 'alerts create':
        return sendObject(response, 201, await createAlert(this.options.alerts, await readJsonBody(request)));
      default:
        throw apiErrors.methodNotAllowed(info.verb, info.resource);
    }
  }

  /** `GET .../sessions/client` with Upgrade: the plugin's WebSocket protocol, as `kubectl exec` upgrades. */
  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    try {
      const caller = this.caller(request);
      const url = new URL(request.url ?? '/', 'https://seco');
      if (url.pathname !== SESSION_PATH) throw apiErrors.pathNotFound(url.pathname);
      await this.authorize(caller, { resource: 'sessions', verb: 'get', name: 'client' });
      this.options.acceptSession(request, socket, head, caller);
    } catch (error) {
      const known = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
      const text = JSON.stringify(statusBody(known));
      socket.end(
        `HTTP/1.1 ${known.code} ${known.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
      );
    }
  }
}
