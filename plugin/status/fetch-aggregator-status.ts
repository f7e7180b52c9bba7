import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRest } from '../../core/kube/kube-rest.js';
import { describeTarget } from '../../core/kube/load-kube-config.js';
import { AggregatorStatus, MAX_AGGREGATOR_STATUS_BYTES } from '../../core/protocol/index.js';

/** The aggregator's Service and port (manifests/aggregator.yaml). */
export const AGGREGATOR_SERVICE = 'seco-aggregator';
export const AGGREGATOR_PORT = 'http';

const TIMEOUT_MS = 15_000;

export type AggregatorRoute =
  | { kind: 'service-proxy'; kc: KubeConfig; namespace: string }
  | { kind: 'direct'; url: string; token?: string };

export interface FetchedStatus {
  /** What was dialled, for messages and the report. */
  via: string;
  status?: AggregatorStatus;
  error?: string;
}

/** `ws://h:p/ws`, `https://h:p/`, … → `http(s)://h:p/status` (the WebSocket path swapped for /status). */
export function directStatusUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`--aggregator-url ${base} is not a URL (ws://, wss://, http:// or https://)`);
  }
  const protocols: Record<string, string> = {
    'ws:': 'http:',
    'wss:': 'https:',
    'http:': 'http:',
    'https:': 'https:',
  };
  const protocol = protocols[url.protocol];
  if (!protocol)
    throw new Error(`--aggregator-url ${base} must start with ws://, wss://, http:// or https://`);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/ws$/, '');
  return new URL(`${protocol}//${url.host}${path}/status`);
}

/** The service-proxy path of the aggregator's `/status`, through the API server. */
export function proxyStatusPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/http:${AGGREGATOR_SERVICE}:${AGGREGATOR_PORT}/proxy/status`;
}

/**
 * `GET /status` of one aggregator replica (whichever the Service picks): through the API server's
 * service proxy with the kubeconfig's credentials, or straight to `--aggregator-url` with `--token`.
 * Never throws: an unreachable or unintelligible aggregator is an `error` saying which and why.
 */
export async function fetchAggregatorStatus(route: AggregatorRoute): Promise<FetchedStatus> {
  let via = '';
  try {
    if (route.kind === 'direct') {
      const url = directStatusUrl(route.url);
      via = url.toString();
      const response = await fetch(url, {
        headers: route.token ? { Authorization: `Bearer ${route.token}` } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const body = Buffer.from(await response.arrayBuffer());
      return { via, ...decode(response.status, body) };
    }
    const path = proxyStatusPath(route.namespace);
    via = `service ${route.namespace}/${AGGREGATOR_SERVICE}:${AGGREGATOR_PORT} through ${describeTarget(route.kc)}`;
    const { status, body } = await new KubeRest(route.kc).send({ path });
    return { via, ...decode(status, body) };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return { via, error: `${(error as Error).message}${cause ? ` (${cause})` : ''}` };
  }
}

function decode(code: number, body: Buffer): Omit<FetchedStatus, 'via'> {
  const text = body.subarray(0, MAX_AGGREGATOR_STATUS_BYTES).toString('utf8');
  if (code < 200 || code > 299) return { error: `HTTP ${code}: ${statusMessage(text)}` };
  if (body.length > MAX_AGGREGATOR_STATUS_BYTES)
    return {
      error: `the answer is ${body.length} bytes, over the ${MAX_AGGREGATOR_STATUS_BYTES}-byte limit`,
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `the answer is not JSON: ${text.slice(0, 200)}` };
  }
  const parsed = AggregatorStatus.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: `the answer is not a seco aggregator status (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
    };
  }
  return { status: parsed.data };
}

/** The API server answers with a Status object; the aggregator with plain text. */
function statusMessage(text: string): string {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // plain text
  }
  return text.trim().slice(0, 500) || 'no body';
}
