import { type IncomingMessage, type OutgoingHttpHeaders, request, type ServerResponse } from 'node:http';

/**
 * Passes one request on to `upstream` (`host:port`, plain HTTP) with the given headers and streams the
 * answer back as is: status, headers and body. An upstream that cannot be reached is a 502.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  headers: OutgoingHttpHeaders,
): void {
  const proxied = request(`http://${upstream}${req.url}`, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  proxied.on('error', () => res.writeHead(502).end());
  req.pipe(proxied);
}
