import type { IncomingMessage } from 'node:http';
import type { Access, Caller } from './access.js';

export type ApiAccess =
  | { ok: true; caller: Caller }
  | { ok: false; status: 401 | 403 | 503; message: string };

/**
 * The HTTP API's whole access decision, in one place (as the WebSocket API decides in hello and
 * scan.start): the bearer token through Access (static tokens, TokenReview), then RBAC on seco.dev
 * (SubjectAccessReview): `create scans` to start one, `list findings` to read one's state and report.
 * `namespace` undefined means all namespaces.
 */
export async function apiAccess(
  access: Access,
  request: IncomingMessage,
  namespace: string | undefined,
  need: 'read' | 'scan' = 'read',
): Promise<ApiAccess> {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  let caller: Caller | undefined;
  try {
    caller = await access.authenticate(token);
  } catch (error) {
    return { ok: false, status: 503, message: `cannot check the token: ${(error as Error).message}` };
  }
  if (!caller)
    return {
      ok: false,
      status: 401,
      message: token ? 'the token was not accepted' : 'a bearer token is required',
    };
  const allowed = need === 'scan' ? access.mayScan(caller, namespace) : access.mayRead(caller, namespace);
  if (!(await allowed.catch(() => false)))
    return {
      ok: false,
      status: 403,
      message: `${caller.name} may not ${need === 'scan' ? 'create scans.seco.dev' : 'list findings.seco.dev'} in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`,
    };
  return { ok: true, caller };
}
