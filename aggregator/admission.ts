import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { AdmissionLimits } from './admission-limits.js';
import type { AggregatorMetrics } from './metrics.js';

/** Why a connection was refused or cut, as counted in `seco_connections_refused_total{reason}`. */
export type RefusalReason =
  | 'connection-cap'
  | 'preauth-cap'
  | 'preauth-source-cap'
  | 'memory-budget'
  | 'preauth-too-large'
  | 'hello-timeout'
  | 'memory-shed';

/** An upgrade refused before it became a WebSocket: the HTTP answer to give. */
export interface UpgradeRefusal {
  status: 429 | 503;
  reason: RefusalReason;
  message: string;
}

/** What a session tells the admission about its client. */
export interface AdmissionTicket {
  /** The client's hello was accepted: it no longer counts against the pre-auth limits. */
  authenticated(): void;
  /** The client said no hello in time (the session closes the connection). */
  helloTimedOut(): void;
  /** The connection is gone. */
  closed(): void;
}

// After a 1008/1009 close frame, the peer gets this long to answer before the socket is destroyed.
const CLOSE_GRACE_MS = 1000;
const MEMORY_CHECK_MS = 500;

/**
 * Limits before `hello` on the aggregator's WebSocket. `ws`'s maxPayload is one figure for the whole
 * server, sized for authenticated clients (2 MiB); an unauthenticated one is held to a few KiB by
 * counting the bytes its socket delivers, and cut with 1009 past them — before `ws` could buffer a
 * large frame. Caps on unauthenticated connections (overall and per source address) and on all
 * connections refuse the upgrade itself; above the memory budget new unauthenticated clients are
 * refused and the newest ones held are shed first, so the oldest (most likely about to say hello) and
 * every authenticated client keep going.
 */
export class ConnectionAdmission {
  private total = 0;
  /** Unauthenticated connections, oldest first (a Set keeps insertion order). */
  private readonly pending = new Set<PendingConnection>();
  private readonly perSource = new Map<string, number>();
  private readonly memoryCheck: NodeJS.Timeout;

  constructor(
    readonly limits: AdmissionLimits,
    private readonly metrics?: AggregatorMetrics,
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {
    this.memoryCheck = setInterval(() => this.shedOverBudget(), MEMORY_CHECK_MS);
    this.memoryCheck.unref();
  }

  /** At the HTTP upgrade: undefined to go ahead, else how to refuse. */
  check(source: string): UpgradeRefusal | undefined {
    const refusal = this.refusalFor(source);
    if (refusal) this.metrics?.connectionRefused(refusal.reason);
    return refusal;
  }

  private refusalFor(source: string): UpgradeRefusal | undefined {
    const l = this.limits;
    if (this.total >= l.maxConnections)
      return { status: 503, reason: 'connection-cap', message: `${l.maxConnections} connections open` };
    if (this.pending.size >= l.maxPreAuth)
      return { status: 503, reason: 'preauth-cap', message: `${l.maxPreAuth} connections waiting for hello` };
    if ((this.perSource.get(source) ?? 0) >= l.maxPreAuthPerSource)
      return {
        status: 429,
        reason: 'preauth-source-cap',
        message: `${l.maxPreAuthPerSource} connections from ${source} waiting for hello`,
      };
    if (this.rss() > l.memoryBudgetBytes)
      return { status: 503, reason: 'memory-budget', message: 'over its memory budget' };
    return undefined;
  }

  /** Right after the upgrade: counts the client and watches what it sends until its hello is accepted. */
  admit(source: string, ws: WebSocket, socket: Duplex): AdmissionTicket {
    this.total++;
    const connection = new PendingConnection(source, ws, socket, this.limits.preAuthMaxBytes, (reason) =>
      this.cut(connection, reason),
    );
    this.pending.add(connection);
    this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    this.metrics?.preAuthClients.set(this.pending.size);
    let closed = false;
    return {
      authenticated: () => this.settle(connection),
      helloTimedOut: () => this.metrics?.connectionRefused('hello-timeout'),
      closed: () => {
        if (closed) return;
        closed = true;
        this.total--;
        this.settle(connection);
      },
    };
  }

  stop(): void {
    clearInterval(this.memoryCheck);
  }

  private settle(connection: PendingConnection): void {
    if (!this.pending.delete(connection)) return;
    connection.stopWatching();
    const left = (this.perSource.get(connection.source) ?? 1) - 1;
    if (left > 0) this.perSource.set(connection.source, left);
    else this.perSource.delete(connection.source);
    this.metrics?.preAuthClients.set(this.pending.size);
  }

  private cut(connection: PendingConnection, reason: RefusalReason): void {
    this.metrics?.connectionRefused(reason);
    this.settle(connection);
  }

  /** Over budget: the newest quarter of the unauthenticated clients go, every check until back under. */
  private shedOverBudget(): void {
    if (this.pending.size === 0 || this.rss() <= this.limits.memoryBudgetBytes) return;
    const newestFirst = [...this.pending].reverse();
    for (const connection of newestFirst.slice(0, Math.max(1, Math.ceil(newestFirst.length / 4))))
      connection.refuse(1013, 'server busy: try again later', 'memory-shed');
  }
}

/** One client that has not said hello yet: its bytes counted, cut when over. */
class PendingConnection {
  private received = 0;
  private readonly onData = (chunk: Buffer) => {
    this.received += chunk.length;
    if (this.received > this.maxBytes) this.refuse(1009, 'message too big before hello', 'preauth-too-large');
  };

  constructor(
    readonly source: string,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly maxBytes: number,
    private readonly onCut: (reason: RefusalReason) => void,
  ) {
    socket.on('data', this.onData);
  }

  stopWatching(): void {
    this.socket.off('data', this.onData);
  }

  /** Closes with `code` and stops reading: what the client sends meanwhile stays in the kernel, not here. */
  refuse(code: number, reason: string, counted: RefusalReason): void {
    this.onCut(counted);
    this.ws.close(code, reason);
    this.ws.pause();
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }
}
