import type { Bus } from '../../core/bus/bus.js';
import type { Finding } from '../../core/model/index.js';
import { decodeMessage, FindingEvent, MAX_BUS_MESSAGE_BYTES } from '../../core/protocol/index.js';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { WATCH_CATCH_UP_EVENTS, WATCH_CATCH_UP_MS } from '../watch-feed.js';
import { age, type TableColumn } from './api-table.js';
import { resourceColumn } from './findings-resource.js';

/** A runtime event as a `seco.dev/v1alpha1` RuntimeEvent; `spec` is the finding the detection made. */
export interface RuntimeEventObject {
  apiVersion: string;
  kind: 'RuntimeEvent';
  metadata: { name: string; namespace?: string; creationTimestamp?: string; resourceVersion: string };
  spec: Finding;
}

export function eventObject(finding: Finding): RuntimeEventObject {
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

/**
 * The runtime events there are now (`kubectl get events.seco.dev`, and what a watch without a
 * resourceVersion starts with): those of the last hour on the event stream, at most 500, as `kubectl
 * seco watch` catches up (watch-feed.ts), in a namespace when given. Visibility is the caller's to apply.
 */
export async function recentEventFindings(bus: Bus, namespace: string | undefined): Promise<Finding[]> {
  const found = new Map<string, Finding>();
  for (const event of await bus.recentEvents(Date.now() - WATCH_CATCH_UP_MS, WATCH_CATCH_UP_EVENTS)) {
    const decoded = decodeMessage(FindingEvent, event.data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) continue;
    const finding = decoded.value.finding;
    if (namespace === undefined || finding.resource.namespace === namespace) found.set(finding.id, finding);
  }
  return [...found.values()];
}

export const EVENT_COLUMNS: TableColumn<RuntimeEventObject>[] = [
  { name: 'Name', type: 'string', description: 'event id', cell: (e) => e.metadata.name },
  {
    name: 'Severity',
    type: 'string',
    description: 'critical, high, medium, low, info',
    cell: (e) => e.spec.severity,
  },
  { name: 'Rule', type: 'string', description: 'the runtime rule that fired', cell: (e) => e.spec.ruleId },
  resourceColumn('what it happened in'),
  { name: 'Title', type: 'string', description: 'what happened', cell: (e) => e.spec.title, priority: 1 },
  {
    name: 'Age',
    type: 'date',
    description: 'since it happened',
    cell: (e) => age(e.metadata.creationTimestamp),
  },
];
