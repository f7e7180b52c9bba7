import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { subjectToken } from '../protocol/bus-messages.js';
import type { Bus, JobQueueOptions, ReceivedJob } from './bus.js';
import { NatsKeyValue } from './nats-key-value.js';

const STREAM = 'SECO_JOBS';
const JOB_SUBJECTS = 'seco.jobs.>';
const MAX_DELIVERIES_ADVISORY = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${STREAM}.*`;
const nanos = (ms: number) => ms * 1_000_000;

/** The inverse of subjectToken: `~2e` back to `.`. */
function tokenToNode(token: string): string {
  return token.replace(/~([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * NATS JetStream: a WorkQueue-retention stream of jobs under `seco.jobs.<node>`, one durable
 * explicit-ack pull consumer per node (ack wait, max deliveries), dead jobs surfaced from the server's
 * MAX_DELIVERIES advisories, and core NATS for events. Creation is idempotent, so any number of
 * aggregators and agents may start at once.
 */
export class NatsBus implements Bus {
  private readonly consumers = new Set<string>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: JobQueueOptions,
  ) {}

  static async connect(servers: string, options: JobQueueOptions): Promise<NatsBus> {
    const nc = await connect({ servers, reconnect: true, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.info(STREAM);
    } catch {
      try {
        await jsm.streams.add({
          name: STREAM,
          subjects: [JOB_SUBJECTS],
          retention: RetentionPolicy.Workqueue,
        });
      } catch (error) {
        // Another process created it between our look and our add: that is what we wanted.
        if (!/already in use|exists/i.test(String(error))) throw error;
      }
    }
    return new NatsBus(nc, jetstream(nc), jsm, options);
  }

  private async consumerFor(node: string): Promise<string> {
    const token = subjectToken(node);
    const name = `node-${token.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    if (this.consumers.has(name)) return name;
    try {
      await this.jsm.consumers.info(STREAM, name);
    } catch {
      await this.jsm.consumers.add(STREAM, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        filter_subject: `seco.jobs.${token}`,
        ack_wait: nanos(this.options.ackWaitMs),
        max_deliver: this.options.maxDeliver,
      });
    }
    this.consumers.add(name);
    return name;
  }

  async publishJob(node: string, data: Uint8Array): Promise<void> {
    await this.consumerFor(node); // so a job published before any agent started still has its queue
    await this.js.publish(`seco.jobs.${subjectToken(node)}`, data);
  }

  async nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined> {
    const consumer = await this.js.consumers.get(STREAM, await this.consumerFor(node));
    const message = await consumer.next({ expires: Math.max(1000, waitMs) });
    if (!message) return undefined;
    return {
      data: message.data,
      deliveryCount: message.info.deliveryCount,
      ack: async () => {
        await message.ackAck();
      },
      nak: async (delayMs = 0) => {
        // The last allowed delivery given back is a dead job: end it here and say so, rather than
        // leave it to sit in the work queue (the server only advises about ack-wait expiries).
        if (message.info.deliveryCount >= this.options.maxDeliver) {
          message.term();
          this.nc.publish(`seco.dead.${subjectToken(node)}`, message.data);
          return;
        }
        message.nak(delayMs);
      },
      working: async () => message.working(),
    };
  }

  async onDeadJob(handler: (node: string, data: Uint8Array) => void): Promise<() => void> {
    const subscription = this.nc.subscribe(MAX_DELIVERIES_ADVISORY, {
      callback: (error, advisory) => {
        if (error) return;
        let seq: unknown;
        try {
          seq = advisory.json<{ stream_seq?: unknown }>().stream_seq;
        } catch {
          return; // not an advisory we can read
        }
        if (typeof seq === 'number') void this.reportDead(seq, handler);
      },
    });
    const given = this.nc.subscribe('seco.dead.*', {
      callback: (error, message) =>
        error ? undefined : handler(tokenToNode(message.subject.slice('seco.dead.'.length)), message.data),
    });
    await this.nc.flush();
    return () => {
      subscription.unsubscribe();
      given.unsubscribe();
    };
  }

  private async reportDead(seq: number, handler: (node: string, data: Uint8Array) => void): Promise<void> {
    try {
      const stored = await this.jsm.streams.getMessage(STREAM, { seq });
      if (!stored) return;
      handler(tokenToNode(stored.subject.slice('seco.jobs.'.length)), stored.data);
      // A dead job is reported once and leaves the work queue.
      await this.jsm.streams.deleteMessage(STREAM, seq);
    } catch {
      // The message was removed meanwhile (acked late): nothing is dead.
    }
  }

  async publish(subject: string, data: Uint8Array): Promise<void> {
    this.nc.publish(subject, data);
  }

  async subscribe(
    subject: string,
    handler: (subject: string, data: Uint8Array) => void,
  ): Promise<() => void> {
    const subscription = this.nc.subscribe(subject, {
      callback: (error, message) => (error ? undefined : handler(message.subject, message.data)),
    });
    await this.nc.flush(); // the subscription is registered with the server before this returns
    return () => subscription.unsubscribe();
  }

  keyValue(bucket: string): Promise<NatsKeyValue> {
    return NatsKeyValue.open(this.nc, bucket);
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
