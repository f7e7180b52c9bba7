import type { Bus } from '../core/bus/bus.js';
import type { Access, Caller } from './access.js';
import type { ClientChannel } from './client-channel.js';
import type { AggregatorMetrics } from './metrics.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { SessionSubscriptions } from './session-subscriptions.js';

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

/** What a request of a client that said hello is answered with: who it is, and where answers go. */
export interface SessionContext {
  readonly caller: Caller;
  readonly options: SessionOptions;
  readonly channel: ClientChannel;
  readonly subscriptions: SessionSubscriptions;
}
