import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';
import { Cidr, IpAddress, parseCidr, parseIp } from './ip-address.js';
import { chargeStringScan } from './library-cost.js';

// Kubernetes' IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go).

function toIp(text: string): IpAddress {
  const ip = parseIp(text);
  if ('error' in ip) throw celError(ip.error);
  return ip.ok;
}

// cidr() wraps parseCIDR's message in the same words again: Kubernetes' messages say it twice.
function toCidr(text: string): Cidr {
  const cidr = parseCidr(text);
  if ('error' in cidr)
    throw celError(`network address parse error during conversion from string: ${cidr.error}`);
  return cidr.ok;
}

const inRange = (ip: IpAddress, cidr: string) => toCidr(cidr).containsIp(ip);

/** A library entry point that parses its string argument: Kubernetes charges the scan. */
function scanning<T>(parse: (text: string) => T, times = 1): (text: string) => T {
  return (text: string) => {
    chargeStringScan(text, times);
    return parse(text);
  };
}

export const ipCidrLibrary: CelLibrary = {
  name: 'ip-cidr',
  register(env) {
    env
      .registerType('net.IP', IpAddress)
      .registerType('net.CIDR', Cidr)
      .registerType('kubernetes.IPNamespace', IpNamespace)
      .registerConstant('ip', 'kubernetes.IPNamespace', new IpNamespace())
      .registerFunction('ip(string): net.IP', scanning(toIp))
      .registerFunction(
        'isIP(string): bool',
        scanning((text) => 'ok' in parseIp(text)),
      )
      .registerFunction(
        'kubernetes.IPNamespace.isCanonical(string): bool',
        // Parsed, then compared with its canonical form: Kubernetes charges two scans.
        (_: IpNamespace, text: string) => scanning(toIp, 2)(text).toString() === text,
      )
      .registerFunction('string(net.IP): string', (ip: IpAddress) => ip.toString())
      .registerFunction('net.IP.family(): int', (ip: IpAddress) => BigInt(ip.family))
      .registerFunction('net.IP.isUnspecified(): bool', (ip: IpAddress) => ip.bytes.every((b) => b === 0))
      .registerFunction('net.IP.isLoopback(): bool', (ip: IpAddress) =>
        ip.family === 4 ? ip.bytes[0] === 127 : inRange(ip, '::1/128'),
      )
      .registerFunction('net.IP.isLinkLocalMulticast(): bool', (ip: IpAddress) =>
        ip.family === 4 ? inRange(ip, '224.0.0.0/24') : inRange(ip, 'ff02::/16'),
      )
      .registerFunction('net.IP.isLinkLocalUnicast(): bool', (ip: IpAddress) =>
        ip.family === 4 ? inRange(ip, '169.254.0.0/16') : inRange(ip, 'fe80::/10'),
      )
      // Go's IsGlobalUnicast: not unspecified, loopback, multicast, link-local or the IPv4 broadcast.
      .registerFunction('net.IP.isGlobalUnicast(): bool', (ip: IpAddress) => {
        if (ip.bytes.every((b) => b === 0)) return false;
        if (ip.family === 4)
          return !['127.0.0.0/8', '224.0.0.0/4', '169.254.0.0/16', '255.255.255.255/32'].some((c) =>
            inRange(ip, c),
          );
        return !['::1/128', 'ff00::/8', 'fe80::/10'].some((c) => inRange(ip, c));
      })
      .registerOperator('net.IP == net.IP', (a: IpAddress, b: IpAddress) => a.equals(b))
      .registerFunction('cidr(string): net.CIDR', scanning(toCidr))
      .registerFunction(
        'isCIDR(string): bool',
        scanning((text) => 'ok' in parseCidr(text)),
      )
      .registerFunction('string(net.CIDR): string', (c: Cidr) => c.toString())
      .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: Cidr, ip: IpAddress) => c.containsIp(ip))
      .registerFunction('net.CIDR.containsIP(string): bool', (c: Cidr, ip: string) => c.containsIp(toIp(ip)))
      .registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (c: Cidr, o: Cidr) => c.containsCidr(o))
      .registerFunction('net.CIDR.containsCIDR(string): bool', (c: Cidr, o: string) =>
        c.containsCidr(toCidr(o)),
      )
      .registerFunction('net.CIDR.ip(): net.IP', (c: Cidr) => c.address)
      .registerFunction('net.CIDR.masked(): net.CIDR', (c: Cidr) => c.masked())
      .registerFunction('net.CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefixLength))
      .registerOperator('net.CIDR == net.CIDR', (a: Cidr, b: Cidr) => a.equals(b));
    registerTypeNames(env);
  },
};

/**
 * `net.IP` and `net.CIDR` as values, for `type(ip('10.0.0.1')) == net.IP` (Kubernetes declares them
 * as type-valued identifiers). cel-js does not resolve a dotted type name as an identifier, so `net`
 * is a constant whose two fields hold the type values; cel-js compares type values by identity, so
 * they are taken from what `type()` returns in this environment.
 */
function registerTypeNames(env: Environment): void {
  const ipType = env.evaluate(`type(ip('0.0.0.0'))`);
  const cidrType = env.evaluate(`type(cidr('0.0.0.0/0'))`);
  env
    .registerType('kubernetes.NetTypes', { ctor: NetTypes, fields: { IP: 'type', CIDR: 'type' } })
    .registerConstant('net', 'kubernetes.NetTypes', new NetTypes(ipType, cidrType));
}

class NetTypes {
  constructor(
    readonly IP: unknown,
    readonly CIDR: unknown,
  ) {}
}

/** The receiver of `ip.isCanonical(...)`: CEL has no namespaced functions in cel-js, so a constant. */
class IpNamespace {}
