import type { JsMsg } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import type { ReceivedJob } from '../bus.js';
import { DELIVERIES_HEADER, deadSubject } from './dead-jobs.js';

/**
 * A JetStream message as a job. Acks wait for the server's confirmation (a lost ack would redeliver work that
 * was done). A job given back on its last allowed delivery is dead: it is taken out of the work queue (an
 * ack the server confirms) and announced at once, rather than left for the server to notice on a later pull.
 */
export function receivedJob(
  nc: NatsConnection,
  node: string,
  message: JsMsg,
  maxDeliver: number,
): ReceivedJob {
  const deliveryCount = message.info.deliveryCount;
  return {
    data: message.data,
    deliveryCount,
    ack: async () => {
      await message.ackAck();
    },
    nak: async (delayMs = 0) => {
      if (deliveryCount < maxDeliver) return message.nak(Math.max(0, delayMs));
      if (!(await message.ackAck({ timeout: 5000 }).catch(() => false))) return; // already settled
      const h = headers();
      h.set(DELIVERIES_HEADER, String(deliveryCount));
      nc.publish(deadSubject(node), message.data, { headers: h });
    },
    working: async () => message.working(),
  };
}
