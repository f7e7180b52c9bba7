import { request as httpsRequest } from 'node:https';
import {
  issueCertificate,
  type KeyPairPem,
  newCertificateAuthority,
} from '../../../core/tls/forge-certificate.js';
import type { KubeUser } from './auth.js';
import { isObject } from './patch.js';
import type { ProxyVia } from './proxy.js';
import { findType } from './resources.js';
import type { KubeObject, KubeStore } from './store.js';

/**
 * The aggregation layer (kubernetes.io/docs/tasks/extend-kubernetes/configure-aggregation-layer/): an
 * APIService `<version>.<group>` sends /apis/<group>/<version>/... to its Service over TLS, with the
 * front-proxy client certificate (signed by the requestheader CA this harness makes, CN
 * `front-proxy-client`) and the authenticated user in X-Remote-User / X-Remote-Group /
 * X-Remote-Extra-<key> — the caller's own copies of those headers and its Authorization are removed.
 * The CA, the allowed names and the header names are published in kube-system's
 * extension-apiserver-authentication ConfigMap, as kube-apiserver does (--requestheader-* flags).
 */
export const FRONT_PROXY_CN = 'front-proxy-client';
export const AUTH_CONFIGMAP = 'extension-apiserver-authentication';
const HEADERS = {
  user: 'X-Remote-User',
  group: 'X-Remote-Group',
  extraPrefix: 'X-Remote-Extra-',
  uid: 'X-Remote-Uid',
};
/** The identity kube-apiserver uses for its own discovery calls to aggregated servers. */
const AGGREGATOR_USER: KubeUser = { username: 'system:kube-aggregator', groups: ['system:masters'] };

export const API_SERVICES = findType('apiregistration.k8s.io', 'v1', 'apiservices')!;

export interface ApiServiceRoute {
  name: string;
  group: string;
  version: string;
  service: { namespace: string; name: string; port: number };
  caBundle?: string;
  insecureSkipTLSVerify: boolean;
  versionPriority: number;
}

function routeOf(object: KubeObject): ApiServiceRoute | undefined {
  const spec = isObject(object.spec) ? object.spec : undefined;
  const service = spec && isObject(spec.service) ? spec.service : undefined;
  if (!spec || !service || typeof spec.group !== 'string' || typeof spec.version !== 'string')
    return undefined;
  if (typeof service.namespace !== 'string' || typeof service.name !== 'string') return undefined;
  return {
    name: String(object.metadata?.name),
    group: spec.group,
    version: spec.version,
    service: {
      namespace: service.namespace,
      name: service.name,
      port: typeof service.port === 'number' ? service.port : 443,
    },
    caBundle:
      typeof spec.caBundle === 'string' && spec.caBundle !== ''
        ? Buffer.from(spec.caBundle, 'base64').toString('utf8')
        : undefined,
    insecureSkipTLSVerify: spec.insecureSkipTLSVerify === true,
    versionPriority: typeof spec.versionPriority === 'number' ? spec.versionPriority : 0,
  };
}

export class AggregationLayer {
  /** The requestheader CA (kube-apiserver's --requestheader-client-ca-file). */
  readonly requestHeaderCa: KeyPairPem;
  /** The front-proxy client certificate (--proxy-client-cert-file / --proxy-client-key-file). */
  readonly proxyClient: KeyPairPem;

  constructor(private readonly store: KubeStore) {
    this.requestHeaderCa = newCertificateAuthority('front-proxy-ca');
    this.proxyClient = issueCertificate(
      { commonName: FRONT_PROXY_CN, usage: 'client' },
      this.requestHeaderCa,
    );
  }

  /** kube-system/extension-apiserver-authentication as kube-apiserver writes it (values are JSON lists). */
  authenticationConfigMap(clientCa: string | undefined): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: AUTH_CONFIGMAP, namespace: 'kube-system' },
      data: {
        ...(clientCa ? { 'client-ca-file': clientCa } : {}),
        'requestheader-client-ca-file': this.requestHeaderCa.cert,
        'requestheader-allowed-names': JSON.stringify([FRONT_PROXY_CN]),
        'requestheader-username-headers': JSON.stringify([HEADERS.user]),
        'requestheader-group-headers': JSON.stringify([HEADERS.group]),
        'requestheader-extra-headers-prefix': JSON.stringify([HEADERS.extraPrefix]),
        'requestheader-uid-headers': JSON.stringify([HEADERS.uid]),
      },
    };
  }

  routes(): ApiServiceRoute[] {
    return this.store
      .list(API_SERVICES, undefined)
      .map(routeOf)
      .filter((r): r is ApiServiceRoute => r !== undefined)
      .sort((a, b) => b.versionPriority - a.versionPriority || a.version.localeCompare(b.version));
  }

  /** The APIService serving `/apis/<group>/<version>/...`, if one is registered with a Service. */
  routeFor(pathname: string): ApiServiceRoute | undefined {
    const [, apis, group, version] = pathname.split('/');
    if (apis !== 'apis' || !group || !version) return undefined;
    return this.routes().find((r) => r.group === group && r.version === version);
  }

  /** Groups served by APIServices, with their versions by priority, for /apis and /apis/<group>. */
  groups(): Array<{ group: string; versions: string[] }> {
    const groups = new Map<string, string[]>();
    for (const route of this.routes())
      groups.set(route.group, [...(groups.get(route.group) ?? []), route.version]);
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  /** What the backend gets: TLS with the front-proxy certificate, the user in headers, theirs removed. */
  via(route: ApiServiceRoute, user: KubeUser): ProxyVia {
    const extras: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(user.extra ?? {}))
      extras[`${HEADERS.extraPrefix}${encodeURIComponent(key)}`.toLowerCase()] = values;
    const prefix = HEADERS.extraPrefix.toLowerCase();
    return {
      tls: {
        cert: this.proxyClient.cert,
        key: this.proxyClient.key,
        ...(route.insecureSkipTLSVerify
          ? { rejectUnauthorized: false }
          : { ca: route.caBundle, rejectUnauthorized: true }),
        // kube-apiserver verifies the serving certificate for the Service's DNS name.
        servername: `${route.service.name}.${route.service.namespace}.svc`,
      },
      headers: {
        [HEADERS.user.toLowerCase()]: user.username,
        ...(user.uid ? { [HEADERS.uid.toLowerCase()]: user.uid } : {}),
        ...(user.groups.length > 0 ? { [HEADERS.group.toLowerCase()]: user.groups } : {}),
        ...extras,
      },
      strip: (name) =>
        name === HEADERS.user.toLowerCase() ||
        name === HEADERS.group.toLowerCase() ||
        name === HEADERS.uid.toLowerCase() ||
        name.startsWith(prefix) ||
        name.startsWith('impersonate-'),
    };
  }

  /** GET on the backend as the aggregator itself (discovery), JSON or undefined when it does not answer. */
  fetchFromBackend(route: ApiServiceRoute, target: URL, path: string): Promise<unknown> {
    const via = this.via(route, AGGREGATOR_USER);
    return new Promise((resolve) => {
      const request = httpsRequest(
        new URL(path, target),
        { method: 'GET', headers: { ...via.headers, accept: 'application/json' }, ...via.tls, timeout: 5000 },
        (reply) => {
          const chunks: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => chunks.push(chunk));
          reply.on('end', () => {
            if (reply.statusCode !== 200) return resolve(undefined);
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch {
              resolve(undefined);
            }
          });
        },
      );
      request.on('timeout', () => request.destroy());
      request.on('error', () => resolve(undefined));
      request.end();
    });
  }
}
