import type { WebSocket } from 'ws';
import {
  ClientMessage,
  decodeMessage,
  MAX_WS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ServerMessage,
} from '../core/protocol/index.js';
import type { AdmissionTicket } from './admission.js';
import { ClientChannel } from './client-channel.js';
import { answerRead } from './read-requests.js';
import { attachScan, startScan } from './scan-following.js';
import type { SessionContext, SessionOptions } from './session-context.js';
import { SessionSubscriptions } from './session-subscriptions.js';
import { subscribeWatch } from './watch-subscription.js';

/**
 * One WebSocket client: `hello` with a token first, then scans, watches and results. Every message is
 * size-checked and schema-validated; a bad one gets an `error` and the connection goes on.
 */
export class ClientSession {
  /** Set once the client's hello is accepted: who it is, for every request after. */
  private context?: SessionContext;
  private readonly channel: ClientChannel;
  private readonly subscriptions = new SessionSubscriptions();
  private readonly helloTimer: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    socket: WebSocket,
    private readonly options: SessionOptions,
    /** The admission's view of this client: pre-auth limits apply until its hello is accepted. */
    private readonly admission?: AdmissionTicket,
  ) {
    this.channel = new ClientChannel(socket, options.maxBufferedBytes);
    options.metrics?.clients.inc();
    this.helloTimer = setTimeout(() => {
      this.admission?.helloTimedOut();
      this.channel.close(1008, 'no hello');
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
    this.subscriptions.stopAll();
    this.options.metrics?.clients.dec();
    this.admission?.closed();
  }

  send(message: ServerMessage): void {
    this.channel.send(message);
  }

  private async receive(raw: string | Buffer): Promise<void> {
    const decoded = decodeMessage(ClientMessage, raw, MAX_WS_MESSAGE_BYTES);
    if (!decoded.ok) {
      this.options.metrics?.refused.inc({
        reason: decoded.error.includes('exceeds') ? 'too-large' : 'invalid',
      });
      this.channel.error(decoded.error.includes('exceeds') ? 'too-large' : 'bad-request', decoded.error);
      return;
    }
    const message = decoded.value;
    if (message.type === 'hello') return this.hello(message.token);
    if (!this.context) {
      this.options.metrics?.refused.inc({ reason: 'unauthenticated' });
      this.channel.error('unauthorized', 'say hello with a token first');
      this.channel.close(1008, 'unauthenticated');
      return;
    }
    try {
      return await this.answer(this.context, message);
    } catch (error) {
      const requestId = 'requestId' in message ? message.requestId : undefined;
      this.channel.error('internal', (error as Error).message.slice(0, 4000), requestId);
    }
  }

  private answer(context: SessionContext, message: Exclude<ClientMessage, { type: 'hello' }>): Promise<void> {
    switch (message.type) {
      case 'scan.start':
        return startScan(context, message);
      case 'scan.attach':
        return attachScan(context, message.requestId, message.scanId);
      case 'watch.subscribe':
        return subscribeWatch(context, message);
      default:
        return answerRead(context, message);
    }
  }

  private async hello(token: string | undefined): Promise<void> {
    if (this.context) return this.channel.error('bad-request', 'already said hello');
    if (this.options.caller && token) {
      this.channel.error('bad-request', 'the API server already said who you are: send no token');
      this.channel.close(1008, 'token through the API server');
      return;
    }
    let caller = this.options.caller;
    try {
      caller ??= await this.options.access.authenticate(token);
    } catch (error) {
      this.channel.error('unavailable', `cannot check the token: ${(error as Error).message}`);
      this.channel.close(1011, 'token check failed');
      return;
    }
    if (!caller) {
      this.options.metrics?.refused.inc({ reason: 'unauthenticated' });
      this.channel.error('unauthorized', token ? 'the token was not accepted' : 'a token is required');
      this.channel.close(1008, 'unauthenticated');
      return;
    }
    clearTimeout(this.helloTimer);
    const { channel, options, subscriptions } = this;
    this.context = { caller, channel, options, subscriptions };
    this.admission?.authenticated();
    this.channel.send({
      v: PROTOCOL_VERSION,
      type: 'welcome',
      server: { version: this.options.version },
      user: caller.name,
    });
  }
}
