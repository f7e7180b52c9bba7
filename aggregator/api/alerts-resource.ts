import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { type AlertIntake, MAX_ALERTS, takeAlerts } from '../alert-intake.js';
import { apiErrors } from './api-status.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `POST /apis/seco.dev/v1alpha1/alerts`: an Alert object whose `spec` is one Falco alert (or
 * `spec.alerts`, a list), or a Falco alert / falcosidekick batch as they post it. The API server
 * authenticated the sender and RBAC allowed `create alerts`; each alert is then checked against the
 * cluster (alert-check.ts). 201 with what was taken and refused; 422 when nothing was taken.
 */
export async function createAlert(intake: AlertIntake, body: unknown): Promise<unknown> {
  const alerts =
    isRecord(body) && body.kind === 'Alert'
      ? isRecord(body.spec) && Array.isArray(body.spec.alerts)
        ? body.spec.alerts
        : [body.spec]
      : Array.isArray(body)
        ? body
        : [body];
  if (alerts.length > MAX_ALERTS) throw apiErrors.badRequest(`more than ${MAX_ALERTS} alerts in one request`);
  const result = await takeAlerts(intake, alerts);
  if (result.accepted === 0)
    throw apiErrors.invalid(`Alert.seco.dev refused: ${result.refused.join('; ').slice(0, 4000)}`);
  return {
    apiVersion: `${SECO_API_GROUP}/${SECO_API_VERSION}`,
    kind: 'Alert',
    metadata: {},
    status: result,
  };
}
