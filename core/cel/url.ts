import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';

// Kubernetes' URLs library (k8s.io/apiserver/pkg/cel/library/urls.go): url(), isURL() and the
// getters. Parsing follows Go's url.ParseRequestURI, which the library uses: an absolute URI or an
// absolute path, nothing relative; a `#` is part of the path (a request URI has no fragment).

export class KubeUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;

export function parseUrl(text: string): KubeUrl | undefined {
  // Go refuses ASCII control characters (spaces are allowed in a path).
  for (const ch of text) if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) return undefined;
  let rest = text;
  let scheme = '';
  if (!rest.startsWith('/')) {
    const match = ABSOLUTE.exec(rest);
    if (!match) return undefined;
    scheme = match[1] ?? '';
    rest = match[2] ?? '';
    // An opaque URI (mailto:x@example.com) has no host or path.
    if (!rest.startsWith('/')) return rest === '' ? undefined : new KubeUrl(scheme.toLowerCase(), '', '', '');
  }
  const queryAt = rest.indexOf('?');
  const rawQuery = queryAt >= 0 ? rest.slice(queryAt + 1) : '';
  if (queryAt >= 0) rest = rest.slice(0, queryAt);
  let host = '';
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    host = authority.slice(authority.lastIndexOf('@') + 1);
    if (!validHost(host)) return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  return new KubeUrl(scheme.toLowerCase(), host, path, rawQuery);
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+(%[^\]]+)?\](:\d*)?$/.test(host);
  return /^[^\s/?#[\]]*$/.test(host) && (host.match(/:/g)?.length ?? 0) <= 1;
}

function hostname(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

function port(host: string): string {
  const colon = host.lastIndexOf(':');
  if (colon < 0 || colon < host.lastIndexOf(']')) return '';
  return host.slice(colon + 1);
}

/** Go's url.PathEscape rules for EscapedPath: unreserved characters and sub-delims stay, the rest is %XX. */
function escapePath(path: string): string {
  return [...Buffer.from(path, 'utf8')]
    .map((byte) => {
      const ch = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/.test(ch)
        ? ch
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** Go's url.ParseQuery: `+` is a space, each key keeps every value in order. */
function query(raw: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const part of raw.split(/[&]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    };
    const key = decode(eq >= 0 ? part.slice(0, eq) : part);
    const value = decode(eq >= 0 ? part.slice(eq + 1) : '');
    if (key === undefined || value === undefined) continue;
    result.set(key, [...(result.get(key) ?? []), value]);
  }
  return result;
}

export const urlLibrary: CelLibrary = {
  name: 'urls',
  register(env) {
    env
      .registerType('kubernetes.URL', KubeUrl)
      .registerFunction('url(string): kubernetes.URL', (text: string) => {
        const parsed = parseUrl(text);
        if (!parsed) throw celError(`URL parse error during conversion from string: ${JSON.stringify(text)}`);
        return parsed;
      })
      .registerFunction('isURL(string): bool', (text: string) => parseUrl(text) !== undefined)
      .registerFunction('kubernetes.URL.getScheme(): string', (u: KubeUrl) => u.scheme)
      .registerFunction('kubernetes.URL.getHost(): string', (u: KubeUrl) => u.host)
      .registerFunction('kubernetes.URL.getHostname(): string', (u: KubeUrl) => hostname(u.host))
      .registerFunction('kubernetes.URL.getPort(): string', (u: KubeUrl) => port(u.host))
      .registerFunction('kubernetes.URL.getEscapedPath(): string', (u: KubeUrl) => escapePath(u.path))
      .registerFunction('kubernetes.URL.getQuery(): map<string, list<string>>', (u: KubeUrl) =>
        query(u.rawQuery),
      );
  },
};
