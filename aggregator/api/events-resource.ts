import type { ServerResponse } from 'node:http';
import type { Bus } from '../../core/bus/bus.js';
import type { Finding } from '../../core/model/index.js';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import type { Access, Caller } from '../access.js';
import { visibleFindings } from '../finding-visibility.js';
import { followEvents } from '../watch-feed.js';

/**
 * `GET .../namespaces/<ns>/events?watch=1` (and cluster-wide without a namespace): runtime events as a
 * Kubernetes watch stream — newline-delimited `{"type":"ADDED","object":RuntimeEvent}` — from the same
 * feed `kubectl seco watch` gets (the last hour caught up, then live). Each event is sent only if the
 * caller may see what it is about (finding-visibility.ts). The stream ends when the client goes or
 * after `timeoutSeconds` (default 30 min, as the API server bounds watches).
 */
export async function watchEvents(
  bus: Bus,
  access: Access,
  caller: Caller,
  namespace: string | undefined,
  url: URL,
  response: ServerResponse,
): Promise<void> {
  const timeout = Math.min(Number(url.searchParams.get('timeoutSeconds') ?? 1800) || 1800, 3600);
  response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.flushHeaders();
  let queue = Promise.resolve();
  const stop = await followEvents(
    bus,
    (finding) => namespace === undefined || finding.resource.namespace === namespace,
    (finding) => {
      // One at a time, in order: visibility may ask the API server (then it is cached).
      queue = queue.then(async () => {
        if ((await visibleFindings(access, caller, [finding])).length === 0) return;
        response.write(`${JSON.stringify({ type: 'ADDED', object: eventObject(finding) })}\n`);
      });
    },
  );
  const end = () => {
    clearTimeout(timer);
    stop();
    if (!response.writableEnded) response.end();
  };
  const timer = setTimeout(end, timeout * 1000);
  response.on('close', end);
}

function eventObject(finding: Finding): unknown {
  return {
    apiVersion: `${SECO_API_GROUP}/${SECO_API_VERSION}`,
    kind: 'RuntimeEvent',
    metadata: {
      name: finding.id,
      ...(finding.resource.namespace ? { namespace: finding.resource.namespace } : {}),
      ...(finding.lastSeen ? { creationTimestamp: finding.lastSeen } : {}),
      resourceVersion: '0',
    },
    spec: finding,
  };
}
