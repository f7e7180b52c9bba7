import type { Bus } from '../core/bus/bus.js';
import type { KubeView } from '../core/kube/kube-view.js';
import {
  contentEventId,
  encodeMessage,
  MAX_BUS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  subjects,
} from '../core/protocol/index.js';
import { falcoAlertToFinding } from '../core/runtime/falco-alert.js';
import { checkAlertAgainstCluster } from './alert-check.js';

export const MAX_ALERTS = 500;

export interface AlertIntake {
  bus: Bus;
  kube: KubeView;
  cluster?: string;
}

export interface IntakeResult {
  accepted: number;
  refused: string[];
}

/**
 * Alerts an authorized sender pushed (`POST /falco`, `alerts.seco.dev`): each is parsed, checked against
 * the cluster (alert-check.ts) and only then goes out as a runtime event — to `watch` clients, storage
 * and the feedback rules. A refused alert is named with why; the others go on.
 */
export async function takeAlerts(intake: AlertIntake, alerts: readonly unknown[]): Promise<IntakeResult> {
  const refused: string[] = [];
  let accepted = 0;
  for (const [index, alert] of alerts.entries()) {
    const parsed = falcoAlertToFinding(alert, { cluster: intake.cluster });
    if (!parsed.ok) {
      refused.push(`alert ${index}: ${parsed.error}`);
      continue;
    }
    const checked = await checkAlertAgainstCluster(intake.kube, parsed.finding).catch((error: Error) => ({
      ok: false as const,
      error: `cannot check it against the cluster: ${error.message}`,
    }));
    if (!checked.ok) {
      refused.push(`alert ${index}: ${checked.error}`);
      continue;
    }
    const finding = checked.finding;
    const node = finding.resource.node ?? 'falco';
    // Falco (or falcosidekick) retrying a post sends the same alert again: its hash is its id, stored once.
    const eventId = contentEventId(Buffer.from(JSON.stringify(alert)));
    const event = { v: PROTOCOL_VERSION, type: 'finding', eventId, node, finding };
    const data = Buffer.from(encodeMessage(event, MAX_BUS_MESSAGE_BYTES));
    await intake.bus.publishEvent(subjects.events(node), data, eventId);
    accepted++;
  }
  return { accepted, refused };
}
