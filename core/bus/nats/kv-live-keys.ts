import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { TimedOutError } from '../../service/within-time.js';
import { readOnce } from './one-read-consumer.js';

/** How long one read of the newest headers may wait for messages the stream said it holds. */
const FETCH_EXPIRES_MS = 5_000;

/**
 * The keys of a KV bucket whose newest message is a value (not a delete or purge marker), below a subject
 * filter, read in bounded steps: a stream-info request (how many subjects match) and one pull of that many
 * header-only messages, each with an expiry. `@nats-io/kv`'s `keys()` waits on a push consumer until a
 * message says nothing is pending or an idle heartbeat arrives, with no bound of its own; a scan being
 * planned and a watch's refresh both wait on a listing of keys rewritten while they are read (heartbeats,
 * scan records).
 */
export async function liveKeys(
  js: JetStreamClient,
  jsm: JetStreamManager,
  bucket: string,
  filter: string,
): Promise<string[]> {
  const stream = `KV_${bucket}`;
  const prefix = `$KV.${bucket}.`;
  const subjects = `${prefix}${filter}`;
  const { state } = await jsm.streams.info(stream, { subjects_filter: subjects });
  const wanted = Object.keys(state.subjects ?? {}).length;
  if (wanted === 0) return [];
  const live = new Set<string>();
  const seen = await readOnce(
    js,
    stream,
    { filter_subjects: subjects, deliver_policy: DeliverPolicy.LastPerSubject, headers_only: true },
    async (consumer) => {
      let count = 0;
      const messages = await consumer.fetch({ max_messages: wanted, expires: FETCH_EXPIRES_MS });
      for await (const message of messages) {
        count++;
        const key = message.subject.slice(prefix.length);
        const operation = message.headers?.get('KV-Operation');
        if (operation === 'DEL' || operation === 'PURGE') live.delete(key);
        else live.add(key);
        if (message.info.pending === 0) break;
      }
      return count;
    },
  );
  // Subjects purged between the two requests are simply gone; none at all from a stream that said it held
  // some is a read that failed, not an empty bucket.
  if (seen === 0) throw new TimedOutError(`keys of KV bucket ${bucket}`, FETCH_EXPIRES_MS);
  return [...live];
}
