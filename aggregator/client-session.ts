import type { WebSocket } from 'ws';
import type { Bus } from '../core/bus/bus.js';
import { atLeast, type Finding } from '../core/model/index.js';
import {
  ClientMessage,
  decodeMessage,
  encodeFindingBatches,
  encodeMessage,
  MAX_BUS_MESSAGE_BYTES,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ReportHeader,
  type ServerMessage,
  subjects,
} from '../core/protocol/index.js';
import { sleep } from '../core/service/backoff.js';
import { REPORT_PAGE_FINDINGS, reportKey } from '../core/store/scan-objects.js';
import type { Access, Caller } from './access.js';
import type { AdmissionTicket } from './admission.js';
import { activeScans, latestFindings, nodeStatuses } from './cluster-views.js';
import { visibleFindings, visibleHeader, visibleSummary } from './finding-visibility.js';
import type { AggregatorMetrics } from './metrics.js';
import { headerOf } from './report-assembly.js';
import { readPagedHeader, readReportPages } from './report-pages.js';
import { listScans, readReport, scanScopes, targetNamespace } from './results.js';
import { ALL_SCANNERS, type ScanCoordinator } from './scan-coordinator.js';
import { followEvents } from './watch-feed.js';

/** What a scan's owner publishes for clients. */
const FORWARDED = new Set(['scan.progress', 'findings', 'scan.done', 'error']);

type ErrorCode = Extract<ServerMessage, { type: 'error' }>['code'];

/** A stored report sent on request: its header, and its findings page by page. */
interface StoredReport {
  header: ReportHeader;
  pages: AsyncIterable<Finding[]>;
}

/** A stored report is sent only while the socket holds less than this unsent: paced, not buffered. */
const PACED_BUFFER_BYTES = 4 * 1024 * 1024;

export interface SessionOptions {
  coordinator: ScanCoordinator;
  access: Access;
  bus: Bus;
  version: string;
  metrics?: AggregatorMetrics;
  /** A client this far behind on reading is dropped rather than buffered without end. */
  maxBufferedBytes?: number;
  helloTimeoutMs?: number;
  /** Scans one connection may follow at once. */
  maxScans?: number;
  /**
   * Who the client is when the API server said so (the aggregated API's session): its `hello` then needs
   * no token, and a token in it is refused — the plugin never sends the user's credentials to seco.
   */
  caller?: Caller;
}

/**
 * One WebSocket client: `hello` with a token first, then scans, watches and results. Every message is
 * size-checked and schema-validated; a bad one gets an `error` and the connection goes on.
 */
export class ClientSession {
  private caller?: Caller;
  private readonly unsubscribes = new Map<string, () => void>();
  private readonly helloTimer: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SessionOptions,
    /** The admission's view of this client: pre-auth limits apply until its hello is accepted. */
    private readonly admission?: AdmissionTicket,
  ) {
    options.metrics?.clients.inc();
    this.helloTimer = setTimeout(() => {
      this.admission?.helloTimedOut();
      this.close(1008, 'no hello');
    }, options.helloTimeoutMs ?? 10_000);
    socket.on('message', (data, isBinary) => {
      const raw = isBinary ? Buffer.concat(([] as Buffer[]).concat(data as Buffer)) : data.toString();
      // One message at a time per client: a scan.start is accepted before the next message is read.
      this.queue = this.queue.then(() => this.receive(raw as string | Buffer)).catch(() => undefined);
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.helloTimer);
    for (const stop of this.unsubscribes.values()) stop();
    this.unsubscribes.clear();
    this.options.metrics?.clients.dec();
    this.admission?.closed();
  }

  private close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
  }

  send(message: ServerMessage): void {
    this.sendText(encodeMessage(message, MAX_WS_MESSAGE_BYTES));
  }

  private sendText(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > (this.options.maxBufferedBytes ?? 64 * 1024 * 1024)) {
      // A slow client must not make the server hold its backlog: it reconnects and attaches, or fetches results.
      this.close(1013, 'client too slow: reconnect and fetch the results');
      return;
    }
    this.socket.send(text);
  }

  private error(code: ErrorCode, message: string, requestId?: string): void {
    this.send({ v: PROTOCOL_VERSION, type: 'error', code, message, ...(requestId ? { requestId } : {}) });
  }

  private async receive(raw: string | Buffer): Promise<void> {
    const decoded = decodeMessage(ClientMessage, raw, MAX_WS_MESSAGE_BYTES);
    if (!decoded.ok) {
      this.options.metrics?.refused.inc({
        reason: decoded.error.includes('exceeds') ? 'too-large' : 'invalid',
      });
      this.error(decoded.error.includes('exceeds') ? 'too-large' : 'bad-request', decoded.error);
      return;
    }
    const message = decoded.value;
    if (message.type === 'hello') return this.hello(message.token);
    if (!this.caller) {
      this.options.metrics?.refused.inc({ reason: 'unauthenticated' });
      this.error('unauthorized', 'say hello with a token first');
      this.close(1008, 'unauthenticated');
      return;
    }
    try {
      switch (message.type) {
        case 'scan.start':
          return await this.startScan(message);
        case 'scan.attach':
          return await this.attach(message.requestId, message.scanId);
        case 'watch.subscribe':
          return await this.watch(message);
        case 'results.list':
          return await this.listResults(message.requestId, message.limit ?? 20);
        case 'results.get':
          return await this.getResult(message.requestId, message.scanId, message.headerFirst === true);
        case 'scans.active':
          return await this.listActiveScans(message.requestId);
        case 'nodes.list':
          return await this.listNodes(message.requestId);
        case 'findings.latest':
          return await this.sendLatestFindings(message.requestId, message.scans ?? 50);
      }
    } catch (error) {
      const requestId = 'requestId' in message ? message.requestId : undefined;
      this.error('internal', (error as Error).message.slice(0, 4000), requestId);
    }
  }

  private async hello(token: string | undefined): Promise<void> {
    if (this.caller) return this.error('bad-request', 'already said hello');
    if (this.options.caller && token) {
      this.error('bad-request', 'the API server already said who you are: send no token');
      this.close(1008, 'token through the API server');
      return;
    }
    let caller: Caller | undefined = this.options.caller;
    try {
      caller ??= await this.options.access.authenticate(token);
    } catch (error) {
      this.error('unavailable', `cannot check the token: ${(error as Error).message}`);
      this.close(1011, 'token check failed');
      return;
    }
    if (!caller) {
      this.options.metrics?.refused.inc({ reason: 'unauthenticated' });
      this.error('unauthorized', token ? 'the token was not accepted' : 'a token is required');
      this.close(1008, 'unauthenticated');
      return;
    }
    clearTimeout(this.helloTimer);
    this.caller = caller;
    this.admission?.authenticated();
    this.send({
      v: PROTOCOL_VERSION,
      type: 'welcome',
      server: { version: this.options.version },
      user: caller.name,
    });
  }

  private async startScan(message: Extract<ClientMessage, { type: 'scan.start' }>): Promise<void> {
    const { coordinator, access } = this.options;
    const namespace = message.target.allNamespaces ? undefined : (message.target.namespace ?? 'default');
    if (!(await access.mayScan(this.caller!, namespace)))
      return this.error(
        'forbidden',
        `${this.caller!.name} may not create scans.seco.dev in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`,
        message.requestId,
      );
    if (this.unsubscribes.size >= (this.options.maxScans ?? 8))
      return this.error('unavailable', 'too many scans followed on this connection', message.requestId);
    const record = await coordinator.createScan(
      message.target,
      message.scanners ?? ALL_SCANNERS,
      this.caller!.name,
      {
        ...(message.policies ? { policies: message.policies } : {}),
        ...(message.clusterPolicies ? { clusterPolicies: true } : {}),
      },
    );
    await this.follow(record.scanId);
    this.send({
      v: PROTOCOL_VERSION,
      type: 'scan.accepted',
      requestId: message.requestId,
      scanId: record.scanId,
    });
    void coordinator.plan(record.scanId);
  }

  /**
   * Forwards the scan's updates from whichever replica owns it, until it is done. They come from seco's
   * own replicas on seco's bus, so the envelope is checked (size, JSON, type, scan) and the body passed
   * through as is: the client validates every message it receives, and re-checking tens of thousands of
   * findings here would double the cost of a large scan.
   */
  private async follow(scanId: string): Promise<void> {
    // Finding batches, most of a large scan's traffic, are recognised by their envelope's first bytes
    // (ScanPublisher writes it in this order) instead of parsing a whole batch to read two fields.
    const batchPrefix = `{"v":${PROTOCOL_VERSION},"type":"findings","scanId":${JSON.stringify(scanId)},"findings":[`;
    // A Kubernetes user sees only the findings about objects they may see (finding-visibility.ts): batches
    // are then parsed and filtered, in order, and the closing report counts only what they may see; the
    // operator's static token gets them as they come.
    let order = Promise.resolve();
    const relay = (text: string, type: 'findings' | 'scan.done' | 'other') => {
      if (type === 'other' || this.caller?.source === 'static-token') {
        order = order.then(() => this.sendText(text));
        return;
      }
      order = order.then(async () => {
        if (type === 'scan.done') return this.sendText(JSON.stringify(await this.visibleDone(text)));
        const batch = JSON.parse(text) as { findings?: Finding[] };
        const visible = await visibleFindings(this.options.access, this.caller!, batch.findings ?? []);
        if (visible.length > 0) this.sendText(JSON.stringify({ ...batch, findings: visible }));
      });
      order = order.catch(() => undefined);
    };
    const stop = await this.options.bus.subscribe(subjects.scan(scanId), (_subject, data) => {
      if (data.byteLength > MAX_BUS_MESSAGE_BYTES) return;
      const text = Buffer.from(data).toString('utf8');
      if (text.startsWith(batchPrefix) && text.endsWith(']}')) return relay(text, 'findings');
      let envelope: { type?: unknown; scanId?: unknown; requestId?: unknown };
      try {
        envelope = JSON.parse(text) as typeof envelope;
      } catch {
        return;
      }
      if (typeof envelope !== 'object' || envelope === null || !FORWARDED.has(envelope.type as string))
        return;
      if (envelope.scanId !== scanId && envelope.requestId !== scanId) return;
      relay(text, envelope.type === 'findings' || envelope.type === 'scan.done' ? envelope.type : 'other');
      if (envelope.type === 'scan.done' || envelope.type === 'error') this.unfollow(scanId);
    });
    this.unsubscribes.set(scanId, stop);
  }

  /**
   * A live `scan.done` as this caller may see it: counted over the findings they may see, from the per-scope
   * counts the finisher stored with the report just before it published this (report-assembly.ts).
   */
  private async visibleDone(text: string): Promise<unknown> {
    const done = JSON.parse(text) as { scanId: string; report: ReportHeader };
    const store = this.options.coordinator.options.store;
    const scopes = (await scanScopes(store, done.scanId)) ?? {};
    return {
      ...done,
      report: await visibleHeader(this.options.access, this.caller!, done.report, { scopes }),
    };
  }

  private unfollow(key: string): void {
    this.unsubscribes.get(key)?.();
    this.unsubscribes.delete(key);
  }

  private async attach(requestId: string, scanId: string): Promise<void> {
    const { coordinator } = this.options;
    const record = await coordinator.store.get(scanId).catch(() => undefined);
    if (record) {
      if (!(await this.options.access.mayRead(this.caller!, targetNamespace(record.targetName))))
        return this.error('forbidden', `${this.caller!.name} may not read scan ${scanId}`, requestId);
      await this.follow(scanId);
      this.send({ v: PROTOCOL_VERSION, type: 'scan.accepted', requestId, scanId });
      // What was streamed before the attach is in the stored results: the client fetches them when done.
      return coordinator.publishProgress(record, 'attached');
    }
    const stored = await this.storedReport(requestId, scanId, `no scan ${scanId}`);
    if (!stored) return;
    this.send({ v: PROTOCOL_VERSION, type: 'scan.accepted', requestId, scanId });
    if (!(await this.sendPaced(stored.pages, { scanId }))) return;
    this.send({
      v: PROTOCOL_VERSION,
      type: 'scan.done',
      scanId,
      reportKey: reportKey(scanId),
      report: stored.header,
    });
  }

  /**
   * A stored report the caller may read; else undefined, the client told why. Read as pages when the
   * finisher stored them; a report stored before pages existed is read whole and cut into pages.
   */
  private async storedReport(
    requestId: string,
    scanId: string,
    missing: string,
  ): Promise<StoredReport | undefined> {
    const store = this.options.coordinator.options.store;
    let stored: StoredReport | undefined;
    const paged = /^[0-9a-z]{1,64}$/.test(scanId) ? await readPagedHeader(store, scanId) : undefined;
    if (paged) stored = { header: paged.header, pages: readReportPages(store, scanId, paged.pages) };
    else {
      const report = await readReport(store, scanId);
      if (report) stored = { header: headerOf(report).report, pages: inPages(report.findings) };
    }
    if (!stored) {
      this.error('not-found', missing, requestId);
      return undefined;
    }
    if (!(await this.options.access.mayRead(this.caller!, targetNamespace(stored.header.target.name)))) {
      this.error('forbidden', `${this.caller!.name} may not read scan ${scanId}`, requestId);
      return undefined;
    }
    return this.caller!.source === 'static-token' ? stored : this.visibleOnly(stored, scanId);
  }

  /**
   * A Kubernetes user sees only the findings about objects they may see (finding-visibility.ts): pages
   * are filtered as they are read, and the header — sent before the pages with `headerFirst`, or after
   * them — counts only those, from the report's per-scope counts.
   */
  private async visibleOnly(stored: StoredReport, scanId: string): Promise<StoredReport> {
    const { access, coordinator } = this.options;
    const caller = this.caller!;
    const scopes = (await scanScopes(coordinator.options.store, scanId)) ?? {};
    async function* pages(): AsyncGenerator<Finding[]> {
      for await (const page of stored.pages) yield await visibleFindings(access, caller, page);
    }
    return { header: await visibleHeader(access, caller, stored.header, { scopes }), pages: pages() };
  }

  /**
   * Sends a stored report's findings page by page, each batch once the socket has sent most of what it
   * holds: the aggregator keeps one page in memory and a client of any speed gets the whole report (a
   * client that cannot keep up with a live scan is closed instead; this is what it comes back for).
   * False when the client went away.
   */
  private async sendPaced(
    pages: AsyncIterable<Finding[]>,
    to: { scanId?: string; requestId?: string },
  ): Promise<boolean> {
    const envelope = { v: PROTOCOL_VERSION, type: 'findings', ...to };
    for await (const page of pages)
      for (const message of encodeFindingBatches(page, envelope, MAX_WS_MESSAGE_BYTES)) {
        while (this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount > PACED_BUFFER_BYTES)
          await sleep(10);
        if (this.socket.readyState !== this.socket.OPEN) return false;
        this.socket.send(message);
      }
    return true;
  }

  private async watch(message: Extract<ClientMessage, { type: 'watch.subscribe' }>): Promise<void> {
    const { namespaces, minSeverity } = message;
    const allowed = new Set<string>();
    for (const ns of namespaces ?? [])
      if (await this.options.access.mayWatch(this.caller!, ns)) allowed.add(ns);
    const everywhere =
      namespaces === undefined && (await this.options.access.mayWatch(this.caller!, undefined));
    if (!everywhere && allowed.size === 0)
      return this.error(
        'forbidden',
        `${this.caller!.name} may not watch those namespaces`,
        message.requestId,
      );
    this.unfollow('watch');
    let order = Promise.resolve();
    const stop = await followEvents(
      this.options.bus,
      (finding) => {
        const ns = finding.resource.namespace;
        if (!everywhere && (!ns || !allowed.has(ns))) return false;
        return !minSeverity || atLeast(finding.severity, minSeverity);
      },
      (finding) => {
        // Node-level events reach only those who may see the node (finding-visibility.ts), in order.
        order = order
          .then(async () => {
            if ((await visibleFindings(this.options.access, this.caller!, [finding])).length > 0)
              this.send({ v: PROTOCOL_VERSION, type: 'event', finding });
          })
          .catch(() => undefined);
      },
      Date.now(),
      {
        ...(message.since ? { sinceMs: Date.parse(message.since) } : {}),
        ...(message.history !== undefined ? { limit: message.history } : {}),
      },
    );
    this.unsubscribes.set('watch', stop);
  }

  private readonly mayRead = (namespace: string | undefined) =>
    this.options.access.mayRead(this.caller!, namespace);

  private async listActiveScans(requestId: string): Promise<void> {
    const scans = await activeScans(this.options.coordinator.store, this.mayRead);
    this.send({ v: PROTOCOL_VERSION, type: 'scans.active', requestId, scans });
  }

  /** Nodes are cluster-wide: listing them takes the right to list findings in every namespace. */
  private async listNodes(requestId: string): Promise<void> {
    if (!(await this.mayRead(undefined)))
      return this.error(
        'forbidden',
        `${this.caller!.name} may not list findings.seco.dev in all namespaces`,
        requestId,
      );
    const { coordinator, bus } = this.options;
    const active = await activeScans(coordinator.store, this.mayRead);
    const nodes = await nodeStatuses(coordinator.agents, bus, active);
    this.send({ v: PROTOCOL_VERSION, type: 'nodes.list', requestId, nodes });
  }

  private async sendLatestFindings(requestId: string, limit: number): Promise<void> {
    const latest = await latestFindings(this.options.coordinator.options.store, this.mayRead, limit);
    const findings =
      this.caller!.source === 'static-token'
        ? latest.findings
        : await visibleFindings(this.options.access, this.caller!, latest.findings);
    if (!(await this.sendPaced(inPages(findings), { requestId }))) return;
    this.send({
      v: PROTOCOL_VERSION,
      type: 'findings.latest.done',
      requestId,
      scans: latest.scans,
      findingCount: findings.length,
    });
  }

  /** Stored scans the caller may list, each counted over the findings they may see. */
  private async listResults(requestId: string, limit: number): Promise<void> {
    const { access, coordinator } = this.options;
    const caller = this.caller!;
    const scans = [];
    for (const { scopes: storedScopes, ...summary } of await listScans(coordinator.options.store, limit)) {
      const namespace = targetNamespace(summary.target);
      if (!(await access.may(caller, { verb: 'list', resource: 'scans', namespace }))) continue;
      if (caller.source === 'static-token') scans.push(summary);
      else {
        const scopes =
          (await scanScopes(coordinator.options.store, summary.scanId, {
            scopes: storedScopes,
          })) ?? {};
        scans.push({ ...summary, summary: await visibleSummary(access, caller, scopes) });
      }
    }
    this.send({ v: PROTOCOL_VERSION, type: 'results.listing', requestId, scans });
  }

  private async getResult(requestId: string, scanId: string, headerFirst: boolean): Promise<void> {
    const stored = await this.storedReport(requestId, scanId, `no stored report for scan ${scanId}`);
    if (!stored) return;
    const closing = { requestId, reportKey: reportKey(scanId), report: stored.header };
    if (headerFirst) this.send({ v: PROTOCOL_VERSION, type: 'results.header', ...closing });
    if (!(await this.sendPaced(stored.pages, { requestId }))) return;
    this.send({ v: PROTOCOL_VERSION, type: 'results.report', ...closing });
  }
}

/** An in-memory report's findings in stored-page sizes. */
async function* inPages(findings: readonly Finding[]): AsyncGenerator<Finding[]> {
  for (let i = 0; i < findings.length; i += REPORT_PAGE_FINDINGS)
    yield findings.slice(i, i + REPORT_PAGE_FINDINGS);
}
