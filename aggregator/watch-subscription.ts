import { atLeast } from '../core/model/index.js';
import { type ClientMessage, PROTOCOL_VERSION } from '../core/protocol/index.js';
import { visibleFindings } from './finding-visibility.js';
import type { SessionContext } from './session-context.js';
import { followEvents } from './watch-feed.js';

/**
 * A client's watch: runtime events in the namespaces it may watch, at or above its severity, history first.
 * A new subscription replaces the connection's previous one.
 */
export async function subscribeWatch(
  { caller, channel, options, subscriptions }: SessionContext,
  message: Extract<ClientMessage, { type: 'watch.subscribe' }>,
): Promise<void> {
  const { namespaces, minSeverity } = message;
  const allowed = new Set<string>();
  for (const ns of namespaces ?? []) if (await options.access.mayWatch(caller, ns)) allowed.add(ns);
  const everywhere = namespaces === undefined && (await options.access.mayWatch(caller, undefined));
  if (!everywhere && allowed.size === 0)
    return channel.error('forbidden', `${caller.name} may not watch those namespaces`, message.requestId);
  subscriptions.stop('watch');
  let order = Promise.resolve();
  const stop = await followEvents(
    options.bus,
    (finding) => {
      const ns = finding.resource.namespace;
      if (!everywhere && (!ns || !allowed.has(ns))) return false;
      return !minSeverity || atLeast(finding.severity, minSeverity);
    },
    (finding) => {
      // Node-level events reach only those who may see the node (finding-visibility.ts), in order.
      order = order
        .then(async () => {
          if ((await visibleFindings(options.access, caller, [finding])).length > 0)
            channel.send({ v: PROTOCOL_VERSION, type: 'event', finding });
        })
        .catch(() => undefined);
    },
    Date.now(),
    {
      ...(message.since ? { sinceMs: Date.parse(message.since) } : {}),
      ...(message.history !== undefined ? { limit: message.history } : {}),
    },
  );
  subscriptions.add('watch', stop);
}
