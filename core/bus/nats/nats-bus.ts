import {
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import {
  type ConnectionOptions,
  connect,
  credsAuthenticator,
  type NatsConnection,
} from '@nats-io/transport-node';
import { Backoff, sleep } from '../../service/backoff.js';
import { withinTime } from '../../service/within-time.js';
import type {
  Bus,
  ConsumeOptions,
  DeadJob,
  JobConsumer,
  JobHandler,
  JobQueueOptions,
  ReceivedJob,
} from '../bus.js';
import { consumeJobs } from '../consume-jobs.js';
import {
  checkEventSubject,
  DEFAULT_EVENT_RETENTION,
  type EventConsumer,
  type EventHandler,
  type EventRetention,
  type EventTailStart,
  type StoredEvent,
} from '../event-stream.js';
import { checkMessage } from '../message-size.js';
import { checkNode } from '../node-name.js';
import { checkPublishSubject, checkSubscribeSubject } from '../subject-match.js';
import { watchDeadJobs } from './dead-jobs.js';
import { consumeEvents, ensureEventsStream, recentEvents } from './events-stream.js';
import { tailEvents } from './events-tail.js';
import {
  consumerName,
  ensureJobsStream,
  ensureNodeConsumer,
  JOBS_STREAM,
  jobSubject,
} from './jobs-stream.js';
import { NatsKeyValue } from './nats-key-value.js';
import { receivedJob } from './nats-received-job.js';

export interface NatsBusOptions extends JobQueueOptions {
  /** Stream and KV replicas: 1 on a single server, 3 or 5 in a NATS cluster. */
  replicas?: number;
  /** Shown by the server in its connection list. */
  name?: string;
  /** Told about connection changes (`disconnect`, `reconnecting`, `reconnect`, `error`, …). */
  onStatus?: (type: string, detail: string) => void;
  /** How long and how much the event stream keeps (default 24 h, 256 MiB). */
  eventRetention?: EventRetention;
  /** Who this process is (a NATS user JWT and its seed); unset only against a server with no auth. */
  credentials?: NatsCredentials;
  /** PEM of the CA that signed the server's certificate: the connection then requires TLS and verifies it. */
  tlsCa?: string;
  /** The name the server's certificate must carry when it is not the URL's host (a server reached by address). */
  tlsServerName?: string;
  /**
   * Whether this process creates and updates streams and consumers (the aggregator) or only uses them (an
   * agent, whose NATS user may not touch them): a node's queue then appears when the aggregator first
   * queues a job on it, and until then pulling finds nothing.
   */
  manageStreams?: boolean;
}

export interface NatsCredentials {
  /** A `.creds` file's text; a function is asked again on every (re)connect, so a renewed JWT is picked up. */
  creds: string | (() => string);
  /** Where replies to this user's requests arrive: a user allowed only its own inbox sets it (agents). */
  inboxPrefix?: string;
}

/** The client options seco's trust adds: credentials, TLS with seco's CA, an inbox of its own. */
export function natsTrustOptions(
  options: Pick<NatsBusOptions, 'credentials' | 'tlsCa' | 'tlsServerName'>,
): Partial<ConnectionOptions> {
  const { credentials, tlsCa, tlsServerName } = options;
  const creds = credentials?.creds;
  return {
    ...(creds === undefined
      ? {}
      : {
          authenticator: credsAuthenticator(() =>
            new TextEncoder().encode(typeof creds === 'function' ? creds() : creds),
          ),
        }),
    ...(credentials?.inboxPrefix ? { inboxPrefix: credentials.inboxPrefix } : {}),
    ...(tlsCa ? { tls: { ca: tlsCa, ...(tlsServerName ? { servername: tlsServerName } : {}) } } : {}),
  };
}

// Errors of a connection that is reconnecting or a server that is restarting: a pull that fails with one is
// "no job this time", and the caller polls again once the client has reconnected.
const TRANSIENT =
  /timeout|timed out|disconnect|connection|reconnect|no responders|503|heartbeat|closed|shutdown/i;

/**
 * NATS JetStream: a WorkQueue-retention stream of jobs under `seco.jobs.<node>`, one durable explicit-ack
 * pull consumer per node (ack wait, max deliveries), dead jobs surfaced from the server's MAX_DELIVERIES
 * advisories, core NATS for events, and KV buckets. Creation is idempotent, so any number of aggregators and
 * agents may start at once. The client reconnects forever; subscriptions survive a reconnect.
 */
export class NatsBus implements Bus {
  private readonly consumerByNode = new Map<string, Promise<Consumer>>();
  private readonly running = new Set<JobConsumer>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: NatsBusOptions,
  ) {}

  static async connect(servers: string | string[], options: NatsBusOptions): Promise<NatsBus> {
    const nc = await connect({
      servers,
      name: options.name,
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      ...natsTrustOptions(options),
    }).catch((error) => {
      throw new Error(`cannot connect to NATS at ${String(servers)}: ${String(error)}`, { cause: error });
    });
    try {
      // A user that manages nothing skips the JetStream API probe ($JS.API.INFO), which it may not send.
      const jsm = await jetstreamManager(nc, { checkAPI: options.manageStreams !== false });
      if (options.manageStreams !== false) {
        await ensureJobsStream(jsm, options.replicas ?? 1);
        await ensureEventsStream(
          jsm,
          options.replicas ?? 1,
          options.eventRetention ?? DEFAULT_EVENT_RETENTION,
        );
      }
      const bus = new NatsBus(nc, jetstream(nc), jsm, options);
      bus.reportStatus().catch(() => {}); // the status stream ends with the connection
      return bus;
    } catch (error) {
      await nc.close();
      throw new Error(
        `NATS at ${String(servers)}: cannot set up the JetStream streams (${JOBS_STREAM}, events): ${String(error)}`,
      );
    }
  }

  /**
   * Connects, waiting for a server that is not up yet (a DaemonSet's agents start before, or while,
   * nats-server restarts): each refused attempt is reported to `onWait` and retried with backoff, so a
   * service started with NATS down comes up when NATS does instead of exiting.
   */
  static async connectWhenUp(
    servers: string | string[],
    options: NatsBusOptions,
    onWait: (error: Error, retryInMs: number) => void,
  ): Promise<NatsBus> {
    const backoff = new Backoff({ firstMs: 500, maxMs: 10_000 });
    for (;;) {
      try {
        return await NatsBus.connect(servers, options);
      } catch (error) {
        const delay = backoff.next();
        onWait(error as Error, delay);
        await sleep(delay);
      }
    }
  }

  private async reportStatus(): Promise<void> {
    for await (const status of this.nc.status())
      this.options.onStatus?.(status.type, 'server' in status ? String(status.server) : '');
  }

  private consumer(node: string): Promise<Consumer> {
    let consumer = this.consumerByNode.get(node);
    if (!consumer) {
      const named =
        this.options.manageStreams === false
          ? Promise.resolve(consumerName(node))
          : ensureNodeConsumer(this.jsm, node, this.options);
      consumer = named.then((name) => this.js.consumers.get(JOBS_STREAM, name));
      consumer.catch(() => this.consumerByNode.delete(node)); // try again next time
      this.consumerByNode.set(node, consumer);
    }
    return consumer;
  }

  async publishJob(node: string, data: Uint8Array): Promise<void> {
    checkNode(node);
    checkMessage(`the job queue of node ${node}`, data, this.options.maxMessageBytes);
    await this.consumer(node); // the queue exists before its first job, so none waits unseen by a consumer
    await this.js.publish(jobSubject(node), data);
  }

  async nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined> {
    checkNode(node);
    if (this.nc.isClosed()) throw new Error('bus is closed');
    try {
      // JetStream pull requests expire no sooner than 1 s.
      const message = await (await this.consumer(node)).next({ expires: Math.max(1000, waitMs) });
      return message ? receivedJob(this.nc, node, message, this.options.maxDeliver) : undefined;
    } catch (error) {
      this.consumerByNode.delete(node); // the consumer may be gone (stream recreated): look it up afresh
      // A user that may not create queues waits for the aggregator to create its node's on the first job.
      const notYet = this.options.manageStreams === false && /not found/i.test(String(error));
      if (this.nc.isClosed() || !(notYet || TRANSIENT.test(String(error))))
        throw new Error(`taking a job for node ${node}: ${String(error)}`);
      await new Promise((r) => setTimeout(r, Math.min(waitMs, 500)));
      return undefined;
    }
  }

  consume(node: string, handler: JobHandler, options?: ConsumeOptions): JobConsumer {
    const consumer = consumeJobs(this, node, handler, options);
    this.running.add(consumer);
    return {
      stop: () => {
        this.running.delete(consumer);
        return consumer.stop();
      },
    };
  }

  async onDeadJob(handler: (node: string, data: Uint8Array, dead: DeadJob) => void): Promise<() => void> {
    return watchDeadJobs(this.nc, this.jsm, (dead) => handler(dead.node, dead.data, dead));
  }

  async publish(subject: string, data: Uint8Array): Promise<void> {
    checkMessage(`subject ${checkPublishSubject(subject)}`, data, this.options.maxMessageBytes);
    this.nc.publish(subject, data);
  }

  async publishEvent(subject: string, data: Uint8Array, eventId: string): Promise<void> {
    checkMessage(
      `subject ${checkPublishSubject(checkEventSubject(subject))}`,
      data,
      this.options.maxMessageBytes,
    );
    // The message id makes a retried publish (no ack seen, server restarting) one stored event.
    await this.js.publish(subject, data, { msgID: eventId });
  }

  consumeEvents(
    durable: string,
    handler: EventHandler,
    options: { onError?: (error: unknown) => void } = {},
  ): Promise<EventConsumer> {
    return consumeEvents(this.nc, this.js, this.jsm, durable, handler, options.onError ?? (() => {}));
  }

  recentEvents(sinceMs: number, limit: number): Promise<StoredEvent[]> {
    return recentEvents(this.js, this.jsm, sinceMs, limit);
  }

  tailEvents(from: EventTailStart, handler: (event: StoredEvent) => void): Promise<() => void> {
    // The tail retries on its own; what failed is told like the connection's other status changes.
    return tailEvents(this.nc, this.js, this.jsm, from, handler, (error) =>
      this.options.onStatus?.('eventsTailError', String(error)),
    );
  }

  async subscribe(
    subject: string,
    handler: (subject: string, data: Uint8Array) => void,
  ): Promise<() => void> {
    const subscription = this.nc.subscribe(checkSubscribeSubject(subject), {
      callback: (error, message) => {
        if (error) return;
        try {
          handler(message.subject, message.data);
        } catch {
          // A subscriber's failure is its own; the subscription goes on.
        }
      },
    });
    await this.nc.flush(); // the subscription is registered with the server before this returns
    return () => subscription.unsubscribe();
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    checkMessage(`request on ${checkPublishSubject(subject)}`, data, this.options.maxMessageBytes);
    return (await this.nc.request(subject, data, { timeout: timeoutMs })).data;
  }

  async serve(
    subject: string,
    handler: (subject: string, data: Uint8Array) => Promise<Uint8Array>,
  ): Promise<() => void> {
    const subscription = this.nc.subscribe(checkSubscribeSubject(subject), {
      queue: 'seco-serve',
      callback: (error, message) => {
        if (error || !message.reply) return;
        handler(message.subject, message.data).then(
          (answer) => message.respond(answer),
          () => undefined, // no answer: the asker's timeout says it
        );
      },
    });
    await this.nc.flush();
    return () => subscription.unsubscribe();
  }

  keyValue(bucket: string): Promise<NatsKeyValue> {
    return NatsKeyValue.open(this.js, bucket, {
      replicas: this.options.replicas,
      maxValueBytes: this.options.maxMessageBytes,
      bindOnly: this.options.manageStreams === false,
    });
  }

  async roundTrip(timeoutMs: number): Promise<number> {
    if (this.nc.isClosed()) throw new Error('the NATS connection is closed');
    return withinTime(this.nc.rtt(), timeoutMs, `NATS round trip to ${this.nc.getServer()}`);
  }

  async close(): Promise<void> {
    const consumers = [...this.running];
    this.running.clear();
    await Promise.all(consumers.map((c) => c.stop()));
    // Drain flushes what was published; a connection that cannot drain (server gone) is just closed.
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}
