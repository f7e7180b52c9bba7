import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Access } from './access.js';
import { type AlertIntake, MAX_ALERTS, takeAlerts } from './alert-intake.js';
import { send } from './http-server.js';
import { readLimitedBody } from './request-body.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `POST /falco`: Falco's HTTP output (one JSON alert) or falcosidekick's webhook (one alert, or a JSON
 * array of them), with `Authorization: Bearer <token>`. The token's user must hold `create` on
 * `alerts.seco.dev` (ClusterRole seco-alert-sender; a static token may); any other valid token gets 403.
 * Each alert is checked against the cluster and becomes a `tool:falco` runtime event (alert-intake.ts).
 */
export function falcoEndpoint(intake: AlertIntake, access: Access) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const caller = await access.authenticate(token).catch(() => undefined);
    if (!caller) return send(response, 401, 'a bearer token is required\n');
    if (!(await access.may(caller, { verb: 'create', resource: 'alerts' }).catch(() => false)))
      return send(response, 403, `${caller.name} may not create alerts.seco.dev\n`);
    const read = await readLimitedBody(request, response, MAX_BODY_BYTES);
    if (!read.ok) return;
    let value: unknown;
    try {
      value = JSON.parse(read.body.toString('utf8'));
    } catch {
      return send(response, 400, 'body is not JSON\n');
    }
    const alerts = Array.isArray(value) ? value : [value];
    if (alerts.length > MAX_ALERTS)
      return send(response, 413, `more than ${MAX_ALERTS} alerts in one request\n`);
    const { accepted, refused } = await takeAlerts(intake, alerts);
    send(
      response,
      refused.length > 0 && accepted === 0 ? 400 : 202,
      `${JSON.stringify({ accepted, refused })}\n`,
      'application/json',
    );
  };
}
