import { createServer, type Server } from 'node:http';
import { forward } from './forward.js';
import { freePort } from './free-port.js';

export interface CountingProxy {
  host: string;
  /** `METHOD /path` of every request passed through, in order. */
  requests: string[];
  /** How many requests fetched a blob (`/v2/<name>/blobs/<digest>`). */
  blobRequests(): number;
  stop(): Promise<void>;
}

/**
 * A plain pass-through HTTP proxy in front of a registry that records each request, so a test can say
 * what the client fetched (e.g. that a cached scan asked for no blob). Headers go through untouched,
 * so auth challenges and tokens work as without it.
 */
export async function startCountingProxy(upstream: string): Promise<CountingProxy> {
  const port = await freePort();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    forward(req, res, upstream, { ...req.headers, host: upstream });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    requests,
    blobRequests: () => requests.filter((r) => /^\S+ \/v2\/.+\/blobs\//.test(r)).length,
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
