import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/** How long an S3 connection may stay silent in the middle of a request before the request fails. */
export const S3_IDLE_MS = 60_000;

/** An error code the retry policy takes as transient (s3-retry.ts): the request is tried again. */
class SilentServerError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(where: string, ms: number) {
    super(`no byte from ${where} for ${ms} ms`);
  }
}

/**
 * An agent whose sockets end when silent for `idleMs`. The minio client sets no timeout, so a server that
 * accepts a request and never answers (stopped, or a proxy that lost its upstream) would hold a scan or a
 * report read for ever. A socket in use gets the error, and its request fails (and is retried); a socket
 * idle in the keep-alive pool is simply closed. Silence, not total time: a large upload or download that
 * keeps moving is never cut.
 */
export function idleBoundedAgent(useSSL: boolean, idleMs: number, ca?: string): HttpAgent {
  const agent = useSSL
    ? new HttpsAgent({ keepAlive: true, ...(ca ? { ca } : {}) })
    : new HttpAgent({ keepAlive: true });
  const create = agent.createConnection.bind(agent);
  agent.createConnection = (options, callback) => {
    const socket = create(options, callback);
    if (socket && 'setTimeout' in socket) {
      const where = `${options.host ?? options.hostname}:${options.port}`;
      (socket as Socket).setTimeout(idleMs, () => {
        // A request's socket has its error listener; one idle in the pool has none, and an error nobody
        // listens for would end the process.
        const inUse = socket.listenerCount('error') > 0;
        socket.destroy(inUse ? new SilentServerError(where, idleMs) : undefined);
      });
    }
    return socket;
  };
  return agent;
}
