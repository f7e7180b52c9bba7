import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import type { Caller } from './access.js';

/**
 * Who the API server says the caller is (the aggregation layer's front-proxy headers), believed only
 * from a connection whose TLS client certificate verified against the requestheader CA and, when the
 * allowed-names list is not empty, whose CN is in it — k8s.io/apiserver's requestheader authenticator
 * (kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/#authentication-flow).
 * Anything else sending X-Remote-User is an attacker: the headers are ignored and the request is
 * unauthenticated.
 */
export const RequestHeaderConfig = z.object({
  /** PEM bundle of the requestheader CA(s). */
  clientCa: z.string().includes('-----BEGIN CERTIFICATE-----'),
  allowedNames: z.array(z.string()),
  usernameHeaders: z.array(z.string().min(1)).min(1),
  groupHeaders: z.array(z.string().min(1)),
  extraHeaderPrefixes: z.array(z.string().min(1)),
  uidHeaders: z.array(z.string().min(1)).default([]),
});
export type RequestHeaderConfig = z.infer<typeof RequestHeaderConfig>;

const JsonList = z.array(z.string());

/** The extension-apiserver-authentication ConfigMap's data (kube-system) as a RequestHeaderConfig. */
export function requestHeaderConfigFrom(data: Record<string, unknown> | undefined): RequestHeaderConfig {
  const list = (key: string): string[] => {
    const raw = data?.[key];
    if (raw === undefined || raw === '') return [];
    const parsed = typeof raw === 'string' ? JsonList.safeParse(safeJson(raw)) : undefined;
    if (!parsed?.success)
      throw new Error(`extension-apiserver-authentication: ${key} is not a JSON list of strings`);
    return parsed.data;
  };
  const clientCa = data?.['requestheader-client-ca-file'];
  if (typeof clientCa !== 'string' || clientCa === '')
    throw new Error(
      'extension-apiserver-authentication has no requestheader-client-ca-file: the API server runs without the aggregation layer (--requestheader-client-ca-file)',
    );
  return RequestHeaderConfig.parse({
    clientCa,
    allowedNames: list('requestheader-allowed-names'),
    usernameHeaders: list('requestheader-username-headers'),
    groupHeaders: list('requestheader-group-headers'),
    extraHeaderPrefixes: list('requestheader-extra-headers-prefix'),
    uidHeaders: list('requestheader-uid-headers'),
  });
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type FrontProxyResult = { ok: true; caller: Caller } | { ok: false; status: 401; reason: string };

function values(request: IncomingMessage, header: string): string[] {
  return (request.headersDistinct[header.toLowerCase()] ?? []).filter((v) => v !== '');
}

/**
 * The caller of a request on the aggregated API port. The TLS layer verified the client certificate
 * against `config.clientCa` (the server's `ca`, `requestCert: true`); this checks that it did, the CN,
 * then reads the headers (the first username header with a value wins, groups and extras add up).
 */
export function frontProxyCaller(request: IncomingMessage, config: RequestHeaderConfig): FrontProxyResult {
  const socket = request.socket as TLSSocket;
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized)
    return { ok: false, status: 401, reason: 'no client certificate signed by the requestheader CA' };
  const cn = socket.getPeerCertificate().subject?.CN;
  const commonName = Array.isArray(cn) ? cn[0] : cn;
  if (config.allowedNames.length > 0 && !config.allowedNames.includes(commonName ?? ''))
    return {
      ok: false,
      status: 401,
      reason: `client certificate CN ${JSON.stringify(commonName)} is not allowed`,
    };
  const name = config.usernameHeaders.map((h) => values(request, h)[0]).find((v) => v !== undefined);
  if (!name) return { ok: false, status: 401, reason: 'no user in the front-proxy headers' };
  const groups = config.groupHeaders.flatMap((h) => values(request, h));
  const uid = config.uidHeaders.map((h) => values(request, h)[0]).find((v) => v !== undefined);
  const extra: Record<string, string[]> = {};
  for (const [header, list] of Object.entries(request.headersDistinct)) {
    const prefix = config.extraHeaderPrefixes.find((p) => header.startsWith(p.toLowerCase()));
    if (!prefix || !list) continue;
    // Extra keys are percent-encoded in the header name (kubernetes/kubernetes#63682), case-insensitive.
    const key = safeDecode(header.slice(prefix.length))?.toLowerCase();
    if (!key) continue;
    extra[key] = [...(extra[key] ?? []), ...list];
  }
  return {
    ok: true,
    caller: {
      name,
      groups,
      ...(uid ? { uid } : {}),
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
      source: 'front-proxy',
    },
  };
}
