import { request } from 'node:https';
import type { RunningKubeApi } from '../../harness/kube-api/start-kube-api.js';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface RawOptions {
  method?: string;
  body?: unknown;
  contentType?: string;
  accept?: string;
  /** Bearer token; the admin's by default, null for none. */
  token?: string | null;
}

/** One HTTPS request to the harness trusting its certificate, for what the clients do not expose. */
export function raw(api: RunningKubeApi, path: string, options: RawOptions = {}): Promise<RawReply> {
  const token = options.token === undefined ? api.token : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (options.accept) headers.Accept = options.accept;
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  if (payload !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.url}${path}`,
      { method: options.method ?? 'GET', ca: api.caCert, headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => {
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(body) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Reads a watch stream for `ms` and returns its events. */
export function watchFor(
  api: RunningKubeApi,
  path: string,
  ms: number,
): Promise<Array<{ type: string; object: Record<string, unknown> }>> {
  return new Promise((resolve, reject) => {
    const events: Array<{ type: string; object: Record<string, unknown> }> = [];
    let buffer = '';
    const req = request(
      `${api.url}${path}`,
      { ca: api.caCert, headers: { Authorization: `Bearer ${api.token}` } },
      (res) => {
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const lines = buffer.split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
        });
        res.on('end', () => resolve(events));
        setTimeout(() => {
          req.destroy();
          resolve(events);
        }, ms);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
