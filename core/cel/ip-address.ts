/**
 * IP addresses as Go's net/netip parses them, with Kubernetes' extra rules (k8s.io/apiserver/pkg/cel/
 * library/ip.go): IPv4 in dotted decimal without leading zeros, IPv6 per RFC 4291; zones and
 * IPv4-mapped IPv6 addresses are refused. Bytes are kept in network order.
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

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes('.') && !text.includes(':')) {
    const bytes = parseIpv4(text);
    return bytes ? new IpAddress(bytes) : undefined;
  }
  if (text.includes('%')) return undefined; // zones: refused by the library
  const bytes = parseIpv6(text);
  if (!bytes) return undefined;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is refused: it would let one address pass as two families.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return undefined;
  return new IpAddress(bytes);
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(part)) return undefined;
      out.push(Number.parseInt(part, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, group] of all.entries()) {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  }
  return bytes;
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

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!address || !/^(0|[1-9]\d{0,2})$/.test(lengthText)) return undefined;
  const length = Number(lengthText);
  if (length > address.bytes.length * 8) return undefined;
  return new Cidr(address, length);
}
