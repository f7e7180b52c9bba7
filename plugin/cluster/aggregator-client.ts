import type { WebSocket } from 'ws';
import { buildInfo } from '../../core/build/build-info.js';
import type { Finding, Report } from '../../core/model/index.js';
import {
  type ClientMessage,
  decodeMessage,
  encodeMessage,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ReportHeader,
  type ScanTarget,
  ServerMessage,
} from '../../core/protocol/index.js';
import { sortFindings } from '../../core/report/build-report.js';
import { ReportCollector, type ReportSink } from './report-sink.js';

type Progress = Extract<ServerMessage, { type: 'scan.progress' }>;
type Listing = Extract<ServerMessage, { type: 'results.listing' }>['scans'];
type LatestDone = Extract<ServerMessage, { type: 'findings.latest.done' }>;
export type WatchOptions = {
  namespaces?: string[];
  minSeverity?: Finding['severity'];
  /** Catch up from here (ISO time) rather than the aggregator's default window. */
  since?: string;
  history?: number;
};
type Scanner = import('../../core/protocol/index.js').ScannerName;

export interface FollowOptions {
  onAccepted?: (scanId: string) => void;
  onProgress?: (progress: Progress) => void;
  /** Each batch of new findings as it streams in. */
  onFindings?: (findings: readonly Finding[]) => void;
  /**
   * Most live findings kept in memory (default 50,000): past it they are dropped and the stored report
   * is read at the end instead, page by page into the sink.
   */
  maxLiveFindings?: number;
}

const MAX_LIVE_FINDINGS = 50_000;

/** An `error` from the aggregator, with its code (`not-found`, `forbidden`, …). */
export class AggregatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AggregatorError';
  }
}

const CLIENT = { name: 'kubectl-seco', version: buildInfo().version };

/**
 * The plugin's side of the client protocol over one WebSocket: every message validated on receipt,
 * findings gathered from their batches and joined to the header that closes the stream.
 */
/** What a scan is started with besides its target. */
export type ScanOptions = FollowOptions & {
  scanners?: Scanner[];
  /** ValidatingAdmissionPolicies and their bindings/params (`scan --policy`). */
  policies?: Record<string, unknown>[];
  clusterPolicies?: boolean;
};

export class AggregatorClient {
  private readonly waiting = new Set<(message: ServerMessage) => void>();
  private readonly closeListeners = new Set<(reason: Error) => void>();
  private closed?: Error;
  private requests = 0;
  private output?: NodeJS.WritableStream & { writableNeedDrain?: boolean };
  private paused = false;

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const decoded = decodeMessage(ServerMessage, data as Buffer, MAX_WS_MESSAGE_BYTES);
      if (!decoded.ok) return this.fail(new Error(`the aggregator sent a bad message: ${decoded.error}`));
      for (const listener of [...this.waiting]) listener(decoded.value);
      this.holdWhileFull();
    });
    socket.on('close', (code, reason) =>
      this.fail(new Error(`connection closed (${code}${reason.length ? `: ${reason}` : ''})`)),
    );
    socket.on('error', (error) => this.fail(error));
  }

  /**
   * Stops reading the socket while `output` (where a streamed report is written) has a full buffer, so a
   * slow stdout slows the aggregator's paced sending instead of filling this process's memory.
   */
  pauseWhileFull(output: NodeJS.WritableStream): void {
    this.output = output;
  }

  private holdWhileFull(): void {
    if (this.paused || !this.output?.writableNeedDrain) return;
    this.paused = true;
    this.socket.pause();
    this.output.once('drain', () => {
      this.paused = false;
      this.socket.resume();
    });
  }

  private fail(error: Error): void {
    const first = this.closed === undefined;
    this.closed ??= error;
    if (first) for (const listener of this.closeListeners) listener(error);
    for (const listener of [...this.waiting])
      listener({ v: PROTOCOL_VERSION, type: 'error', code: 'unavailable', message: error.message });
  }

  private send(message: ClientMessage): void {
    // Closed: every request waits through until(), which has already failed it with the close reason;
    // throwing here as well would leave that rejection unhandled.
    if (this.closed) return;
    this.socket.send(encodeMessage(message, MAX_WS_MESSAGE_BYTES));
  }

  /** Calls `handle` with each message until it returns a value (or an error message ends the wait). */
  private until<T>(handle: (message: ServerMessage) => T | undefined, requestId?: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const listener = (message: ServerMessage) => {
        if (
          message.type === 'error' &&
          (!requestId || !message.requestId || message.requestId === requestId)
        ) {
          this.waiting.delete(listener);
          reject(new AggregatorError(message.code, message.message));
          return;
        }
        let result: T | undefined;
        try {
          result = handle(message);
        } catch (error) {
          this.waiting.delete(listener);
          reject(error);
          return;
        }
        if (result !== undefined) {
          this.waiting.delete(listener);
          resolve(result);
        }
      };
      this.waiting.add(listener);
      if (this.closed)
        listener({ v: PROTOCOL_VERSION, type: 'error', code: 'unavailable', message: this.closed.message });
    });
  }

  private nextId(): string {
    return `r${++this.requests}`;
  }

  async hello(token: string | undefined): Promise<string> {
    const welcome = this.until((m) => (m.type === 'welcome' ? m.user : undefined));
    this.send({ v: PROTOCOL_VERSION, type: 'hello', client: CLIENT, ...(token ? { token } : {}) });
    return welcome;
  }

  /** Starts a scan and follows it to the end: the merged report, findings and all. */
  async scan(target: ScanTarget, options: ScanOptions = {}): Promise<Report> {
    const collector = new ReportCollector();
    await this.scanInto(target, collector, options);
    return collector.report();
  }

  /** Starts a scan and follows it to the end, its report going into `sink`. */
  async scanInto(target: ScanTarget, sink: ReportSink, options: ScanOptions = {}): Promise<void> {
    const requestId = this.nextId();
    return this.follow(requestId, options, sink, () =>
      this.send({
        v: PROTOCOL_VERSION,
        type: 'scan.start',
        requestId,
        target,
        ...(options.scanners ? { scanners: options.scanners } : {}),
        ...(options.policies?.length ? { policies: options.policies } : {}),
        ...(options.clusterPolicies ? { clusterPolicies: true } : {}),
      }),
    );
  }

  /** Follows a scan already started (from another terminal, or after a reconnect) to its merged report. */
  async attach(scanId: string, options: FollowOptions = {}): Promise<Report> {
    const collector = new ReportCollector();
    await this.attachInto(scanId, collector, options);
    return collector.report();
  }

  /** Follows a scan already started to its end, its report going into `sink`. */
  async attachInto(scanId: string, sink: ReportSink, options: FollowOptions = {}): Promise<void> {
    const requestId = this.nextId();
    return this.follow(requestId, options, sink, () =>
      this.send({ v: PROTOCOL_VERSION, type: 'scan.attach', requestId, scanId }),
    );
  }

  private async follow(
    requestId: string,
    options: FollowOptions,
    sink: ReportSink,
    start: () => void,
  ): Promise<void> {
    let scanId: string | undefined;
    let findings: Map<string, Finding> | undefined = new Map();
    const limit = options.maxLiveFindings ?? MAX_LIVE_FINDINGS;
    const done = this.until<ReportHeader>((m) => {
      if (m.type === 'scan.accepted' && m.requestId === requestId) {
        scanId = m.scanId;
        options.onAccepted?.(m.scanId);
      } else if (m.type === 'findings' && m.scanId !== undefined && m.scanId === scanId) {
        if (findings) for (const f of m.findings) findings.set(f.id, f);
        // Past the limit the live copy is dropped: the stored report is read page by page at the end.
        if (findings && findings.size > limit) findings = undefined;
        options.onFindings?.(m.findings);
      } else if (m.type === 'scan.progress' && m.scanId === scanId) {
        options.onProgress?.(m);
      } else if (m.type === 'scan.done' && m.scanId === scanId) {
        return m.report;
      } else if (m.type === 'error' && scanId && m.requestId === scanId) {
        throw new AggregatorError(m.code, m.message);
      }
      return undefined;
    }, requestId);
    start();
    const header = await done;
    // A client that missed part of the stream (it attached late, or dropped it) reads the stored report.
    if ((findings && findings.size === header.findingCount) || !scanId) {
      sink.header(header);
      sink.findings(sortFindings([...(findings?.values() ?? [])]));
      return;
    }
    await this.streamResult(scanId, sink);
  }

  /** Runtime events as they happen (agents' detections, Falco alerts), until the connection closes. */
  /**
   * Subscribes to runtime events. `onRefused` hears an `error` the aggregator answers the subscription
   * with (not allowed, or it could not follow the event stream): without it such a watch would sit
   * connected and silent.
   */
  watch(
    options: WatchOptions,
    onEvent: (finding: Finding) => void,
    onRefused: (error: AggregatorError) => void = () => {},
  ): void {
    const requestId = this.nextId();
    this.waiting.add((m) => {
      if (m.type === 'event') onEvent(m.finding);
      else if (m.type === 'error' && m.requestId === requestId)
        onRefused(new AggregatorError(m.code, m.message));
    });
    this.send({
      v: PROTOCOL_VERSION,
      type: 'watch.subscribe',
      requestId,
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      ...(options.minSeverity ? { minSeverity: options.minSeverity } : {}),
      ...(options.since ? { since: options.since } : {}),
      ...(options.history !== undefined ? { history: options.history } : {}),
    });
  }

  /** Sends a request that takes nothing but its id, and waits for the answer `pick` recognises. */
  private ask<T>(
    type: 'scans.active' | 'nodes.list',
    pick: (m: ServerMessage, requestId: string) => T | undefined,
  ): Promise<T> {
    const requestId = this.nextId();
    const answer = this.until((m) => pick(m, requestId), requestId);
    this.send({ v: PROTOCOL_VERSION, type, requestId });
    return answer;
  }

  /** The scans in flight, with their jobs per node and kind. */
  activeScans(): Promise<Extract<ServerMessage, { type: 'scans.active' }>['scans']> {
    return this.ask('scans.active', (m, id) =>
      m.type === 'scans.active' && m.requestId === id ? m.scans : undefined,
    );
  }

  /** The agents behind the nodes: heartbeat, sensor, queued jobs, recent events. */
  nodes(): Promise<Extract<ServerMessage, { type: 'nodes.list' }>['nodes']> {
    return this.ask('nodes.list', (m, id) =>
      m.type === 'nodes.list' && m.requestId === id ? m.nodes : undefined,
    );
  }

  /** The open findings of the latest stored scan of each target (at most `scans` targets). */
  async latestFindings(scans = 50): Promise<{ scans: LatestDone['scans']; findings: Finding[] }> {
    const requestId = this.nextId();
    const findings = new Map<string, Finding>();
    const answer = this.until((m) => {
      if (m.type === 'findings' && m.requestId === requestId)
        for (const f of m.findings) findings.set(f.id, f);
      if (m.type === 'findings.latest.done' && m.requestId === requestId)
        return { scans: m.scans, findings: sortFindings([...findings.values()]) };
      return undefined;
    }, requestId);
    this.send({ v: PROTOCOL_VERSION, type: 'findings.latest', requestId, scans });
    return answer;
  }

  async listResults(limit = 20): Promise<Listing> {
    const requestId = this.nextId();
    const listing = this.until(
      (m) => (m.type === 'results.listing' && m.requestId === requestId ? m.scans : undefined),
      requestId,
    );
    this.send({ v: PROTOCOL_VERSION, type: 'results.list', requestId, limit });
    return listing;
  }

  async getResult(scanId: string): Promise<Report> {
    const collector = new ReportCollector();
    await this.streamResult(scanId, collector);
    return collector.report();
  }

  /**
   * A stored report into `sink` as it arrives: header first, then the findings page by page. An
   * aggregator from before `headerFirst` sends the header last: its findings are held until then.
   */
  async streamResult(scanId: string, sink: ReportSink): Promise<void> {
    const requestId = this.nextId();
    let opened = false;
    const early: Finding[][] = [];
    const ended = this.until((m) => {
      if (m.type === 'results.header' && m.requestId === requestId && !opened) {
        sink.header(m.report);
        opened = true;
      } else if (m.type === 'findings' && m.requestId === requestId) {
        if (opened) sink.findings(m.findings);
        else early.push(m.findings);
      } else if (m.type === 'results.report' && m.requestId === requestId) {
        if (!opened) {
          sink.header(m.report);
          for (const batch of early) sink.findings(batch);
        }
        return true;
      }
      return undefined;
    }, requestId);
    this.send({ v: PROTOCOL_VERSION, type: 'results.get', requestId, scanId, headerFirst: true });
    await ended;
  }

  /** Called once when the session ends (closed by either side, or broken); at once if it already has. */
  onClose(listener: (reason: Error) => void): void {
    if (this.closed) listener(this.closed);
    else this.closeListeners.add(listener);
  }

  /**
   * Closes the connection. With a reason of this side's (an answer that never came), listeners and waiting
   * requests are told that reason and the socket is dropped at once: a server that stopped answering would
   * not answer a close handshake either.
   */
  close(reason?: Error): void {
    if (!reason) {
      this.socket.close(1000);
      return;
    }
    this.fail(reason);
    this.socket.terminate();
  }
}
