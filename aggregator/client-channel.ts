import type { WebSocket } from 'ws';
import type { Finding } from '../core/model/index.js';
import {
  encodeFindingBatches,
  encodeMessage,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../core/protocol/index.js';
import { sleep } from '../core/service/backoff.js';

export type ErrorCode = Extract<ServerMessage, { type: 'error' }>['code'];

/** A stored report is sent only while the socket holds less than this unsent: paced, not buffered. */
const PACED_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * What the aggregator writes to one client's WebSocket. Live messages are sent as they come and a client
 * that falls too far behind is closed; stored findings are paced to the client's speed instead.
 */
export class ClientChannel {
  constructor(
    private readonly socket: WebSocket,
    /** A client this far behind on reading is dropped rather than buffered without end. */
    private readonly maxBufferedBytes = 64 * 1024 * 1024,
  ) {}

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
  }

  send(message: ServerMessage): void {
    this.sendText(encodeMessage(message, MAX_WS_MESSAGE_BYTES));
  }

  /** An already encoded message, such as one relayed as is from a scan's owner. */
  sendText(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      // A slow client must not make the server hold its backlog: it reconnects and attaches, or fetches results.
      this.close(1013, 'client too slow: reconnect and fetch the results');
      return;
    }
    this.socket.send(text);
  }

  error(code: ErrorCode, message: string, requestId?: string): void {
    this.send({ v: PROTOCOL_VERSION, type: 'error', code, message, ...(requestId ? { requestId } : {}) });
  }

  /**
   * Sends a stored report's findings page by page, each batch once the socket has sent most of what it
   * holds: the aggregator keeps one page in memory and a client of any speed gets the whole report (a
   * client that cannot keep up with a live scan is closed instead; this is what it comes back for).
   * False when the client went away.
   */
  async sendPaced(
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
}
