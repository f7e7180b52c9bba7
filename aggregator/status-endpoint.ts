import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AggregatorStatus } from '../core/protocol/index.js';
import type { Access } from './access.js';
import { send } from './http-server.js';

/**
 * `GET /status`: the replica's health facts as JSON (core/protocol/aggregator-status.ts). Nothing in it
 * is secret, so no token is needed (as for /healthz, /readyz and /metrics): through the API server the
 * caller was already authorized for `services/proxy` in seco's namespace, and the proxy drops the
 * Authorization header anyway. A token that *is* sent is checked as `hello` checks it, and a refused
 * one gets 401 — a client with a wrong `--token` learns it here, not at its first scan
 * (docs/decisions.md, "kubectl seco status").
 */
export function statusEndpoint(access: Access, status: () => Promise<AggregatorStatus>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      if (!token || !(await access.authenticate(token).catch(() => undefined)))
        return send(response, 401, 'the bearer token was refused\n');
    }
    send(response, 200, `${JSON.stringify(await status())}\n`, 'application/json');
  };
}
