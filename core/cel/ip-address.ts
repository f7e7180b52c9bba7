import { goQuote } from './go-quote.js';
import { type Parsed, parseAddr, parsePrefix } from './netip-parse.js';

/**
 * IP addresses as Kubernetes' IP library takes them (k8s.io/apiserver/pkg/cel/library/ip.go): what
 * Go's netip.ParseAddr accepts, less zones and IPv4-mapped IPv6 addresses. Bytes are kept in
 * network order.
 */
export class IpAddress {
  constructor(readonly bytes: Uint8Array) {}
  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }
  equals(other: IpAddress): boolean {
    return this.bytes.length === other.bytes.length && this.bytes.every((b, i) => b === other.bytes[i]);
  }
  toString(): string {
    return this.family === 4 ? [...this.bytes].join('.') : formatIpv6(this.bytes);
  }
}

/** The address `text` names, or the error Kubernetes reports for it (worded as the library's). */
export function parseIp(text: string): Parsed<IpAddress> {
  const parsed = parseAddr(text);
  if ('error' in parsed)
    return {
      error: `IP Address ${goQuote(text)} parse error during conversion from string: ${parsed.error}`,
    };
  if (parsed.ok.zone !== '') return { error: `IP address ${goQuote(text)} with zone value is not allowed` };
  // One address must not pass as two families.
  if (isIpv4Mapped(parsed.ok.bytes))
    return { error: `IPv4-mapped IPv6 address ${goQuote(text)} is not allowed` };
  return { ok: new IpAddress(parsed.ok.bytes) };
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  return (
    bytes.length === 16 &&
    bytes.slice(0, 10).every((b) => b === 0) &&
    bytes[10] === 0xff &&
    bytes[11] === 0xff
  );
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`, first on ties. */
function formatIpv6(bytes: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export class Cidr {
  constructor(
    readonly address: IpAddress,
    readonly prefixLength: number,
  ) {}
  masked(): Cidr {
    const bytes = new Uint8Array(this.address.bytes);
    for (let bit = this.prefixLength; bit < bytes.length * 8; bit++)
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) & ~(0x80 >> (bit & 7));
    return new Cidr(new IpAddress(bytes), this.prefixLength);
  }
  containsIp(ip: IpAddress): boolean {
    if (ip.family !== this.address.family) return false;
    return new Cidr(ip, this.prefixLength).masked().address.equals(this.masked().address);
  }
  /** Both masked to this prefix's length, the other's network must be this one (kubernetes#130450). */
  containsCidr(other: Cidr): boolean {
    return other.prefixLength >= this.prefixLength && this.containsIp(other.address);
  }
  equals(other: Cidr): boolean {
    return this.prefixLength === other.prefixLength && this.address.equals(other.address);
  }
  toString(): string {
    return `${this.address.toString()}/${this.prefixLength}`;
  }
}

/** The prefix `text` names, or the error Kubernetes' parseCIDR reports for it. */
export function parseCidr(text: string): Parsed<Cidr> {
  const parsed = parsePrefix(text);
  if ('error' in parsed)
    return { error: `network address parse error during conversion from string: ${parsed.error}` };
  if (isIpv4Mapped(parsed.ok.addr.bytes))
    return { error: `IPv4-mapped IPv6 address ${goQuote(text)} is not allowed` };
  return { ok: new Cidr(new IpAddress(parsed.ok.addr.bytes), parsed.ok.bits) };
}
