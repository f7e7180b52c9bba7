import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';
import { escapedPath, type GoUrl, parseQuery, parseRequestUri, parseUrl, splitHostPort } from './go-url.js';
import { chargeStringScan } from './library-cost.js';

// Kubernetes' URLs library (k8s.io/apiserver/pkg/cel/library/urls.go): url(), isURL() and the
// getters. A URL must pass Go's url.ParseRequestURI (an absolute URI or an absolute path); its parts
// are then read with url.Parse, which, unlike ParseRequestURI, takes a '#' as the start of a fragment.

export class KubeUrl {
  constructor(readonly parts: GoUrl) {}
}

function toUrl(text: string): KubeUrl {
  chargeStringScan(text);
  const checked = parseRequestUri(text);
  const parsed = typeof checked === 'string' ? checked : parseUrl(text);
  if (typeof parsed === 'string') throw celError(`URL parse error during conversion from string: ${parsed}`);
  return new KubeUrl(parsed);
}

export const urlLibrary: CelLibrary = {
  name: 'urls',
  register(env) {
    env
      .registerType('kubernetes.URL', KubeUrl)
      .registerFunction('url(string): kubernetes.URL', toUrl)
      .registerFunction('isURL(string): bool', (text: string) => typeof parseRequestUri(text) !== 'string')
      .registerFunction('kubernetes.URL.getScheme(): string', (u: KubeUrl) => u.parts.scheme)
      .registerFunction('kubernetes.URL.getHost(): string', (u: KubeUrl) => u.parts.host)
      .registerFunction(
        'kubernetes.URL.getHostname(): string',
        (u: KubeUrl) => splitHostPort(u.parts.host).hostname,
      )
      .registerFunction('kubernetes.URL.getPort(): string', (u: KubeUrl) => splitHostPort(u.parts.host).port)
      .registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeUrl) => escapedPath(u.parts))
      .registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeUrl) =>
        parseQuery(u.parts.rawQuery),
      );
  },
};
