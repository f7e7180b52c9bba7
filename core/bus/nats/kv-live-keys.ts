import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { TimedOutError } from '../../service/within-time.js';
import { readOnce } from './one-read-consumer.js';

/** How long one read of the newest headers may wait for messages the stream said it holds. */
const FETCH_EXPIRES_MS = 5_000;

/**
 * The keys of a KV bucket whose newest message is a value (not a delete or purge marker), below a subject
 * filter, read in bounded steps: a consumer delivering the newest header of each matching subject (its
 * creation says how many there are) and one pull of that many, with an expiry. `@nats-io/kv`'s `keys()`
 * waits on a push consumer until a message says nothing is pending or an idle heartbeat arrives, with no
 * bound of its own; a scan being planned and a watch's refresh both wait on a listing of keys rewritten
 * while they are read (heartbeats, scan records).
 */
export async function liveKeys(js: JetStreamClient, bucket: string, filter: string): Promise<string[]> {
  const prefix = `$KV.${bucket}.`;
  const live = new Set<string>();
  await readOnce(
    js,
    `KV_${bucket}`,
    {
      filter_subjects: `${prefix}${filter}`,
      deliver_policy: DeliverPolicy.LastPerSubject,
      headers_only: true,
    },
    async (consumer) => {
      const { num_pending: wanted } = await consumer.info(true);
      if (wanted === 0) return;
      let seen = 0;
      const messages = await consumer.fetch({ max_messages: wanted, expires: FETCH_EXPIRES_MS });
      for await (const message of messages) {
        seen++;
        const key = message.subject.slice(prefix.length);
        const operation = message.headers?.get('KV-Operation');
        if (operation === 'DEL' || operation === 'PURGE') live.delete(key);
        else live.add(key);
        if (message.info.pending === 0) break;
      }
      // Nothing at all from a consumer that said it held keys is a read that failed, not an empty bucket.
      if (seen === 0) throw new TimedOutError(`keys of KV bucket ${bucket}`, FETCH_EXPIRES_MS);
    },
  );
  return [...live];
}
