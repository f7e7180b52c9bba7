import type { WebSocket } from 'ws';
import type { Bus } from '../core/bus/bus.js';
import { atLeast, type Finding, type Report } from '../core/model/index.js';
import {
  ClientMessage,
  decodeMessage,
  encodeFindingBatches,
  encodeMessage,
  MAX_BUS_MESSAGE_BYTES,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ServerMessage,
  subjects,
} from '../core/protocol/index.js';
import type { Access, Caller } from './access.js';
import type { AdmissionTicket } from './admission.js';
import { activeScans, latestFindings, nodeStatuses } from './cluster-views.js';
import type { AggregatorMetrics } from './metrics.js';
import { headerOf } from './report-assembly.js';
import { listScans, readReport, targetNamespace } from './results.js';
import { ALL_SCANNERS, type ScanCoordinator } from './scan-coordinator.js';
import { followEvents } from './watch-feed.js';

/** What a scan's owner publishes for clients. */
const FORWARDED = new Set(['scan.progress', 'findings', 'scan.done', 'error']);

type ErrorCode = Extract<ServerMessage, { type: 'error' }>['code'];

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
          return await this.getResult(message.requestId, message.scanId);
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
    let caller: Caller | undefined;
    try {
      caller = await this.options.access.authenticate(token);
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
    if (!(await access.mayRead(this.caller!, namespace)))
      return this.error(
        'forbidden',
        `${this.caller!.name} may not list pods in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`,
        message.requestId,
      );
    if (this.unsubscribes.size >= (this.options.maxScans ?? 8))
      return this.error('unavailable', 'too many scans followed on this connection', message.requestId);
    const record = await coordinator.createScan(
      message.target,
      message.scanners ?? ALL_SCANNERS,
      this.caller!.name,
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
    const stop = await this.options.bus.subscribe(subjects.scan(scanId), (_subject, data) => {
      if (data.byteLength > MAX_BUS_MESSAGE_BYTES) return;
      const text = Buffer.from(data).toString('utf8');
      if (text.startsWith(batchPrefix) && text.endsWith(']}')) return this.sendText(text);
      let envelope: { type?: unknown; scanId?: unknown; requestId?: unknown };
      try {
        envelope = JSON.parse(text) as typeof envelope;
      } catch {
        return;
      }
      if (typeof envelope !== 'object' || envelope === null || !FORWARDED.has(envelope.type as string))
        return;
      if (envelope.scanId !== scanId && envelope.requestId !== scanId) return;
      this.sendText(text);
      if (envelope.type === 'scan.done' || envelope.type === 'error') this.unfollow(scanId);
    });
    this.unsubscribes.set(scanId, stop);
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
    const report = await this.storedReport(requestId, scanId, `no scan ${scanId}`);
    if (!report) return;
    this.send({ v: PROTOCOL_VERSION, type: 'scan.accepted', requestId, scanId });
    this.sendFindings(report.findings, { scanId });
    this.send({ v: PROTOCOL_VERSION, type: 'scan.done', scanId, ...headerOf(report) });
  }

  /** A stored report the caller may read; else undefined, the client told why. */
  private async storedReport(
    requestId: string,
    scanId: string,
    missing: string,
  ): Promise<Report | undefined> {
    const report = await readReport(this.options.coordinator.options.store, scanId);
    if (!report) {
      this.error('not-found', missing, requestId);
      return undefined;
    }
    if (!(await this.options.access.mayRead(this.caller!, targetNamespace(report.target.name)))) {
      this.error('forbidden', `${this.caller!.name} may not read scan ${scanId}`, requestId);
      return undefined;
    }
    return report;
  }

  private sendFindings(findings: readonly Finding[], to: { scanId?: string; requestId?: string }): void {
    const envelope = { v: PROTOCOL_VERSION, type: 'findings', ...to };
    for (const message of encodeFindingBatches(findings, envelope, MAX_WS_MESSAGE_BYTES))
      this.sendText(message);
  }

  private async watch(message: Extract<ClientMessage, { type: 'watch.subscribe' }>): Promise<void> {
    const { namespaces, minSeverity } = message;
    const allowed = new Set<string>();
    for (const ns of namespaces ?? [])
      if (await this.options.access.mayRead(this.caller!, ns)) allowed.add(ns);
    const everywhere =
      namespaces === undefined && (await this.options.access.mayRead(this.caller!, undefined));
    if (!everywhere && allowed.size === 0)
      return this.error('forbidden', `${this.caller!.name} may not watch those namespaces`);
    this.unfollow('watch');
    const stop = await followEvents(
      this.options.bus,
      (finding) => {
        const ns = finding.resource.namespace;
        if (!everywhere && (!ns || !allowed.has(ns))) return false;
        return !minSeverity || atLeast(finding.severity, minSeverity);
      },
      (finding) => this.send({ v: PROTOCOL_VERSION, type: 'event', finding }),
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

  /** Nodes are cluster-wide: listing them takes the right to read pods in every namespace. */
  private async listNodes(requestId: string): Promise<void> {
    if (!(await this.mayRead(undefined)))
      return this.error('forbidden', `${this.caller!.name} may not list pods in all namespaces`, requestId);
    const { coordinator, bus } = this.options;
    const active = await activeScans(coordinator.store, this.mayRead);
    const nodes = await nodeStatuses(coordinator.agents, bus, active);
    this.send({ v: PROTOCOL_VERSION, type: 'nodes.list', requestId, nodes });
  }

  private async sendLatestFindings(requestId: string, limit: number): Promise<void> {
    const latest = await latestFindings(this.options.coordinator.options.store, this.mayRead, limit);
    this.sendFindings(latest.findings, { requestId });
    this.send({
      v: PROTOCOL_VERSION,
      type: 'findings.latest.done',
      requestId,
      scans: latest.scans,
      findingCount: latest.findings.length,
    });
  }

  private async listResults(requestId: string, limit: number): Promise<void> {
    const scans = [];
    for (const summary of await listScans(this.options.coordinator.options.store, limit))
      if (await this.options.access.mayRead(this.caller!, targetNamespace(summary.target)))
        scans.push(summary);
    this.send({ v: PROTOCOL_VERSION, type: 'results.listing', requestId, scans });
  }

  private async getResult(requestId: string, scanId: string): Promise<void> {
    const report = await this.storedReport(requestId, scanId, `no stored report for scan ${scanId}`);
    if (!report) return;
    this.sendFindings(report.findings, { requestId });
    this.send({ v: PROTOCOL_VERSION, type: 'results.report', requestId, ...headerOf(report) });
  }
}
