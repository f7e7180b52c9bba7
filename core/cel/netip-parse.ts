import { goQuote } from './go-quote.js';

// IP addresses and prefixes read as Go's net/netip reads them (ParseAddr, ParsePrefix), failures
// worded as netip words them: Kubernetes' IP and CIDR libraries pass those messages on verbatim.

/** A parsed address: 4 or 16 bytes in network order, and an IPv6 zone ('' when none). */
export interface ParsedAddr {
  bytes: Uint8Array;
  zone: string;
}

export type Parsed<T> = { ok: T } | { error: string };

class AddrError {
  constructor(
    readonly message: string,
    readonly at = '',
  ) {}
}

/** netip.ParseAddr: the first '.', ':' or '%' decides how the text is read. */
export function parseAddr(text: string): Parsed<ParsedAddr> {
  try {
    return { ok: readAddr(text) };
  } catch (error) {
    if (!(error instanceof AddrError)) throw error;
    const at = error.at ? ` (at ${goQuote(error.at)})` : '';
    return { error: `ParseAddr(${goQuote(text)}): ${error.message}${at}` };
  }
}

function readAddr(text: string): ParsedAddr {
  for (const ch of text) {
    if (ch === '.') return { bytes: readIpv4(text), zone: '' };
    if (ch === ':') return readIpv6(text);
    if (ch === '%') throw new AddrError('missing IPv6 address');
  }
  throw new AddrError('unable to parse IP');
}

/** Dotted decimal, exactly four fields of 0-255 without leading zeros. */
function readIpv4(text: string): Uint8Array {
  const bytes = new Uint8Array(4);
  let field = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch >= '0' && ch <= '9') {
      if (digits === 1 && value === 0) throw new AddrError('IPv4 field has octet with leading zero');
      value = value * 10 + Number(ch);
      digits++;
      if (value > 255) throw new AddrError('IPv4 field has value >255');
    } else if (ch === '.') {
      if (i === 0 || i === text.length - 1 || text[i - 1] === '.')
        throw new AddrError('IPv4 field must have at least one digit', text.slice(i));
      if (field === 3) throw new AddrError('IPv4 address too long');
      bytes[field++] = value;
      value = 0;
      digits = 0;
    } else {
      throw new AddrError('unexpected character', text.slice(i));
    }
  }
  if (field < 3) throw new AddrError('IPv4 address too short');
  bytes[3] = value;
  return bytes;
}

/** RFC 4291 text: hex groups, at most one `::`, an optional trailing dotted quad and `%zone`. */
function readIpv6(text: string): ParsedAddr {
  const percent = text.indexOf('%');
  const zone = percent >= 0 ? text.slice(percent + 1) : '';
  if (percent >= 0 && zone === '') throw new AddrError('zone must be a non-empty string');
  let rest = percent >= 0 ? text.slice(0, percent) : text;
  const bytes = new Uint8Array(16);
  let ellipsis = -1;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') return { bytes, zone };
  }
  let filled = 0;
  while (filled < 16) {
    const group = /^[0-9A-Fa-f]*/.exec(rest)?.[0] ?? '';
    const overflowAt = group.search(/[^0]/);
    if (overflowAt >= 0 && group.length - overflowAt > 4)
      throw new AddrError('IPv6 field has value >=2^16', rest);
    if (group === '') throw new AddrError('each colon-separated field must have at least one digit', rest);
    if (rest[group.length] === '.') {
      bytes.set(embeddedIpv4(rest, filled, ellipsis >= 0), filled);
      filled += 4;
      rest = '';
      break;
    }
    const value = Number.parseInt(group, 16);
    bytes[filled] = value >> 8;
    bytes[filled + 1] = value & 0xff;
    filled += 2;
    rest = rest.slice(group.length);
    if (rest === '') break;
    if (rest[0] !== ':') throw new AddrError('unexpected character, want colon', rest);
    if (rest.length === 1) throw new AddrError('colon must be followed by more characters', rest);
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) throw new AddrError('multiple :: in address', rest);
      ellipsis = filled;
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  if (rest !== '') throw new AddrError('trailing garbage after address', rest);
  if (filled < 16) {
    if (ellipsis < 0) throw new AddrError('address string too short');
    const tail = bytes.slice(ellipsis, filled);
    bytes.fill(0, ellipsis);
    bytes.set(tail, 16 - tail.length);
  } else if (ellipsis >= 0) {
    throw new AddrError('the :: must expand to at least one field of zeros');
  }
  return { bytes, zone };
}

/** A trailing dotted quad in an IPv6 text: it must fill the last 32 bits (or follow a `::`). */
function embeddedIpv4(rest: string, filled: number, afterEllipsis: boolean): Uint8Array {
  if (!afterEllipsis && filled !== 12)
    throw new AddrError('embedded IPv4 address must replace the final 2 fields of the address', rest);
  if (filled + 4 > 16)
    throw new AddrError('too many hex fields to fit an embedded IPv4 at the end of the address', rest);
  const v4 = parseAddr(rest);
  if ('error' in v4) throw new AddrError(v4.error, rest);
  if (v4.ok.bytes.length !== 4) throw new AddrError('unexpected character', rest);
  return v4.ok.bytes;
}

/** netip.ParsePrefix: an address (no zone), '/', and a decimal length without sign or leading zero. */
export function parsePrefix(text: string): Parsed<{ addr: ParsedAddr; bits: number }> {
  const fail = (message: string) => ({ error: `netip.ParsePrefix(${goQuote(text)}): ${message}` });
  const slash = text.lastIndexOf('/');
  if (slash < 0) return fail("no '/'");
  const addr = parseAddr(text.slice(0, slash));
  if ('error' in addr) return fail(addr.error);
  if (addr.ok.zone !== '') return fail('IPv6 zones cannot be present in a prefix');
  const bitsText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,9})$/.test(bitsText)) return fail(`bad bits after slash: ${goQuote(bitsText)}`);
  const bits = Number(bitsText);
  if (bits > addr.ok.bytes.length * 8) return fail('prefix length out of range');
  return { ok: { addr: addr.ok, bits } };
}
