import { createServer, request, type Server } from 'node:http';
import { forward } from './forward.js';
import { freePort } from './free-port.js';

export interface TrickleProxy {
  host: string;
  /** Blob requests seen so far. */
  blobRequests(): number;
  stop(): Promise<void>;
}

const BLOB = /^\/v2\/.+\/blobs\/sha256:[0-9a-f]{64}$/;

/**
 * A registry that stalls: manifests pass through untouched, but every blob answers its headers at once
 * and then its body one byte every `everyMs` (20 s by default) — the registry of issue 10 that kept an
 * agent busy for good. The connection stays open, so only a client-side timeout ends the pull.
 */
export async function startTrickleProxy(upstream: string, everyMs = 20_000): Promise<TrickleProxy> {
  const port = await freePort();
  let blobs = 0;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' || !BLOB.test(path)) {
      forward(req, res, upstream, { ...req.headers, host: upstream });
      return;
    }
    blobs++;
    const upstreamRequest = request(`http://${upstream}${req.url}`, {
      headers: { ...req.headers, host: upstream },
    });
    upstreamRequest.on('response', (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (chunk: Buffer) => chunks.push(chunk));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        res.writeHead(up.statusCode ?? 502, up.headers);
        let sent = 0;
        const drip = () => {
          if (sent >= body.length) return void res.end();
          res.write(body.subarray(sent, sent + 1));
          sent++;
        };
        drip();
        const timer = setInterval(drip, everyMs);
        res.on('close', () => clearInterval(timer));
      });
    });
    upstreamRequest.on('error', () => res.writeHead(502).end());
    upstreamRequest.end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${port}`,
    blobRequests: () => blobs,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
