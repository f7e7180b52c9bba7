import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { describeTarget } from './load-kube-config.js';

/** A refused or failed API request, with the HTTP status and the Status reason the server gave. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }
}

export interface RestRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

const TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/**
 * JSON over the Kubernetes REST API with the kubeconfig's credentials (token, client certificate,
 * exec/OIDC plugins, CA or insecure-skip-tls-verify, all through client-node's applyToHTTPSOptions).
 * Plain node:http(s) rather than client-node's typed APIs: those turn objects into model classes
 * (Dates, dropped unknown fields), and seco wants exactly what the server sent.
 */
export class KubeRest {
  constructor(readonly kc: KubeConfig) {}

  get target(): string {
    return describeTarget(this.kc);
  }

  /** Sends the request; a non-2xx answer throws KubeApiError with the server's message. */
  async json<T = unknown>(req: RestRequest): Promise<T> {
    const { status, body } = await this.send(req);
    const text = body.toString('utf8');
    if (status < 200 || status > 299) {
      const parsed = parseStatus(text);
      throw new KubeApiError(parsed.message ?? (text.trim() || `HTTP ${status}`), status, parsed.reason);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async send(req: RestRequest): Promise<{ status: number; body: Buffer }> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new Error(`${this.target}: no API server`);
    const url = new URL(server);
    const base = url.pathname.replace(/\/$/, '');
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const qs = query.size > 0 ? `?${query}` : '';
    const payload =
      req.body === undefined
        ? undefined
        : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const options: RequestOptions & { rejectUnauthorized?: boolean } = {
      method: req.method ?? 'GET',
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || undefined,
      path: `${base}${req.path}${qs}`,
      headers: {
        Accept: 'application/json',
        // Content-Length always: Node sends a DELETE body neither chunked nor sized otherwise.
        ...(payload
          ? {
              'Content-Type': req.contentType ?? 'application/json',
              'Content-Length': String(payload.length),
            }
          : {}),
      },
      timeout: TIMEOUT_MS,
    };
    await this.kc.applyToHTTPSOptions(options);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const r = send(options, (res) =>
        collect(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject),
      );
      r.on('timeout', () => r.destroy(new Error(`${this.target}: ${options.method} ${req.path} timed out`)));
      r.on('error', (e) => reject(new Error(`${this.target}: ${options.method} ${req.path}: ${e.message}`)));
      r.end(payload);
    });
  }
}

function collect(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_RESPONSE_BYTES)
        res.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`));
      else chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

function parseStatus(text: string): { message?: string; reason?: string } {
  try {
    const s = JSON.parse(text) as { kind?: string; message?: unknown; reason?: unknown };
    return {
      message: typeof s.message === 'string' ? s.message : undefined,
      reason: typeof s.reason === 'string' ? s.reason : undefined,
    };
  } catch {
    return {};
  }
}
