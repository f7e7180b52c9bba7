import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bus } from '../core/bus/bus.js';
import {
  contentEventId,
  encodeMessage,
  MAX_BUS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  subjects,
} from '../core/protocol/index.js';
import { falcoAlertToFinding } from '../core/runtime/falco-alert.js';
import type { Access } from './access.js';
import { send } from './http-server.js';
import { readLimitedBody } from './request-body.js';

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_ALERTS = 500;

/**
 * `POST /falco`: Falco's HTTP output (one JSON alert) or falcosidekick's webhook (one alert, or a JSON
 * array of them), with `Authorization: Bearer <token>`. Each alert becomes a `tool:falco` finding and
 * goes out as a runtime event: to every `watch` client, to storage and to the feedback rules.
 */
export function falcoEndpoint(bus: Bus, access: Access, cluster?: string) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (!(await access.authenticate(token).catch(() => undefined)))
      return send(response, 401, 'a bearer token is required\n');
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
    const refused: string[] = [];
    let accepted = 0;
    for (const [index, alert] of alerts.entries()) {
      const result = falcoAlertToFinding(alert, { cluster });
      if (!result.ok) {
        refused.push(`alert ${index}: ${result.error}`);
        continue;
      }
      const node = result.finding.resource.node ?? 'falco';
      // Falco (or falcosidekick) retrying a post sends the same alert again: its hash is its id, stored once.
      const eventId = contentEventId(Buffer.from(JSON.stringify(alert)));
      const event = { v: PROTOCOL_VERSION, type: 'finding', eventId, node, finding: result.finding };
      const data = Buffer.from(encodeMessage(event, MAX_BUS_MESSAGE_BYTES));
      await bus.publishEvent(subjects.events(node), data, eventId);
      accepted++;
    }
    send(
      response,
      refused.length > 0 && accepted === 0 ? 400 : 202,
      `${JSON.stringify({ accepted, refused })}\n`,
      'application/json',
    );
  };
}
