import { goQuote } from './go-quote.js';

// URLs read as Go's net/url reads them (Parse and ParseRequestURI), failures worded as net/url
// words them: Kubernetes' URLs library and the `uri` format pass those messages on. Go works on
// bytes; every rule below is about ASCII characters, so a JavaScript string serves.

export interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  /** The path as written, when escaping the decoded path would not give it back (url.URL.RawPath). */
  rawPath: string;
  rawQuery: string;
}

class UrlError {
  constructor(readonly message: string) {}
}

/** Which part of a URL a character is in: net/url's encoding modes. */
type Part = 'path' | 'host' | 'zone' | 'userinfo' | 'query' | 'fragment';

const ALPHANUMERIC = /[A-Za-z0-9]/;

/** net/url's shouldEscape: whether `ch` must be percent-encoded in `part`. */
function mustEscape(ch: string, part: Part): boolean {
  if (ALPHANUMERIC.test(ch)) return false;
  if ((part === 'host' || part === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (part === 'path') return ch === '?';
    if (part === 'userinfo') return '@/?:'.includes(ch);
    if (part === 'query') return true;
    if (part === 'fragment') return false;
  }
  return !(part === 'fragment' && '!()*'.includes(ch));
}

const isHex = (ch: string | undefined) => ch !== undefined && /[0-9A-Fa-f]/.test(ch);

/** net/url's unescape: %XX decoded (as UTF-8), '+' a space in a query; malformed escapes refused. */
export function percentDecode(text: string, part: Part): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    if (ch === '%') {
      if (i + 2 >= text.length || !isHex(text[i + 1]) || !isHex(text[i + 2]))
        throw new UrlError(`invalid URL escape ${goQuote(text.slice(i, i + 3))}`);
      const triplet = text.slice(i, i + 3);
      const value = Number.parseInt(triplet.slice(1), 16);
      if (!escapeAllowed(triplet, value, part)) throw new UrlError(`invalid URL escape ${goQuote(triplet)}`);
      bytes.push(value);
      i += 3;
      continue;
    }
    if ((part === 'host' || part === 'zone') && ch < '\u0080' && mustEscape(ch, part))
      throw new UrlError(`invalid character ${goQuote(ch)} in host name`);
    if (ch === '+' && part === 'query') bytes.push(0x20);
    else bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * In a host only non-ASCII bytes may be escaped, and %25 (an IPv6 zone's '%'); in a zone, only
 * bytes a host could hold as they are, and a space.
 */
function escapeAllowed(triplet: string, value: number, part: Part): boolean {
  if (triplet === '%25') return true;
  if (part === 'host') return value >= 0x80;
  if (part === 'zone')
    return value === 0x20 || value >= 0x80 || !mustEscape(String.fromCharCode(value), 'host');
  return true;
}

/** net/url's escape for a path: %XX (upper case) for every byte the path may not hold as it is. */
export function escapePath(path: string): string {
  let out = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out +=
      byte < 0x80 && !mustEscape(ch, 'path') ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Whether a raw path is already a valid encoding (url.validEncoded). */
function validEncoded(text: string): boolean {
  for (const ch of text) if (!`!$&'()*+,;=:@[]%`.includes(ch) && mustEscape(ch, 'path')) return false;
  return true;
}

/** url.URL.EscapedPath: the path as written when that is a valid encoding of it, else escaped. */
export function escapedPath(url: GoUrl): string {
  if (url.rawPath !== '' && validEncoded(url.rawPath)) {
    try {
      if (percentDecode(url.rawPath, 'path') === url.path) return url.rawPath;
    } catch {
      // not a valid encoding: fall through to escaping the path
    }
  }
  return url.path === '*' ? '*' : escapePath(url.path);
}

function splitScheme(text: string): [string, string] {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (/[A-Za-z]/.test(ch)) continue;
    if (/[0-9+.-]/.test(ch)) {
      if (i === 0) return ['', text];
      continue;
    }
    if (ch === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [text.slice(0, i), text.slice(i + 1)];
    }
    return ['', text];
  }
  return ['', text];
}

function validPort(colonPort: string): boolean {
  return colonPort === '' || /^:[0-9]*$/.test(colonPort);
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0)
      return (
        percentDecode(host.slice(0, zone), 'host') +
        percentDecode(host.slice(zone, close), 'zone') +
        percentDecode(host.slice(close), 'host')
      );
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validPort(host.slice(colon)))
      throw new UrlError(`invalid port ${goQuote(host.slice(colon))} after host`);
  }
  return percentDecode(host, 'host');
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(authority.slice(at + 1));
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!USERINFO.test(userinfo)) throw new UrlError('net/url: invalid userinfo');
    for (const part of userinfo.split(':', 2)) percentDecode(part, 'userinfo');
  }
  return host;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** net/url's parse; `request` for ParseRequestURI's stricter reading (no fragment, no relative paths). */
function parse(text: string, request: boolean): GoUrl {
  if (hasControlCharacter(text)) throw new UrlError('net/url: invalid control character in URL');
  if (text === '' && request) throw new UrlError('empty url');
  const url: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' };
  if (text === '*') return { ...url, path: '*' };
  let [scheme, rest] = splitScheme(text);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') return { ...url, opaque: rest };
    if (request) throw new UrlError('invalid URI for request');
    if ((rest.split('/')[0] ?? '').includes(':'))
      throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || (!request && !rest.startsWith('///'))) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    url.host = parseAuthority(authority);
  }
  url.path = percentDecode(rest, 'path');
  url.rawPath = escapePath(url.path) === rest ? '' : rest;
  return url;
}

function attempt<T>(text: string, read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    if (error instanceof UrlError) return `parse ${goQuote(text)}: ${error.message}`;
    throw error;
  }
}

/** url.ParseRequestURI: the URL, or net/url's error message. */
export function parseRequestUri(text: string): GoUrl | string {
  return attempt(text, () => parse(text, true));
}

/** url.Parse: a '#' starts a fragment (which must be a valid escape), the rest as parse reads it. */
export function parseUrl(text: string): GoUrl | string {
  return attempt(text, () => {
    const hash = text.indexOf('#');
    const url = parse(hash >= 0 ? text.slice(0, hash) : text, false);
    if (hash >= 0) percentDecode(text.slice(hash + 1), 'fragment');
    return url;
  });
}

/** url.URL.Hostname and Port: the host split at a valid ':port', brackets of an IPv6 literal removed. */
export function splitHostPort(host: string): { hostname: string; port: string } {
  const colon = host.lastIndexOf(':');
  let [hostname, port] = [host, ''];
  if (colon >= 0 && validPort(host.slice(colon)))
    [hostname, port] = [host.slice(0, colon), host.slice(colon + 1)];
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/** url.ParseQuery, errors ignored as URL.Query ignores them: a pair with ';' or a bad escape is dropped. */
export function parseQuery(raw: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    try {
      const key = percentDecode(eq >= 0 ? pair.slice(0, eq) : pair, 'query');
      const value = percentDecode(eq >= 0 ? pair.slice(eq + 1) : '', 'query');
      result.set(key, [...(result.get(key) ?? []), value]);
    } catch (error) {
      if (!(error instanceof UrlError)) throw error;
    }
  }
  return result;
}
