import { isIP } from 'node:net';
import { posix } from 'node:path';

/**
 * One argument of a tool's command line. Only the constructors below make one, each from a value it
 * has validated (or a literal the adapter's own code wrote), so a string from a user, a manifest or the
 * wire cannot reach a command line unchecked: the executor refuses anything that is not a SafeArg.
 */
export class SafeArg {
  constructor(
    token: symbol,
    readonly value: string,
    /** What the value was validated as, for the audit record. */
    readonly kind: string,
  ) {
    if (token !== MINT)
      throw new TypeError('a SafeArg is made only by the validators in core/exec/safe-arg.ts');
  }

  /** A flag or fixed word written in an adapter's source (`-sV`, `--json`). Never a runtime value. */
  static literal(value: string): SafeArg {
    if (!/^[A-Za-z0-9_=,.:/@+-]{1,128}$/.test(value))
      throw new ArgRefused('literal', value, 'not a plain token');
    return new SafeArg(MINT, value, 'literal');
  }
}

/** Not exported: only this module mints SafeArgs. */
const MINT = Symbol('SafeArg');
const mint = (value: string, kind: string) => new SafeArg(MINT, value, kind);

export class ArgRefused extends Error {
  constructor(
    readonly kind: string,
    readonly input: string,
    reason: string,
  ) {
    super(`${kind} ${JSON.stringify(input.slice(0, 200))} refused: ${reason}`);
    this.name = 'ArgRefused';
  }
}

// RFC 1123 label (DNS_LABEL in Kubernetes' validation): at most 63 of [a-z0-9-], alphanumeric at both ends.
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes name that must be an RFC 1123 label (namespaces, Services, containers): ≤ 63 characters. */
export function dnsLabel(value: string, kind = 'dns-label'): SafeArg {
  if (value.length === 0 || value.length > 63) throw new ArgRefused(kind, value, 'length must be 1 to 63');
  if (!LABEL.test(value))
    throw new ArgRefused(kind, value, 'not an RFC 1123 label ([a-z0-9-], alphanumeric ends)');
  return mint(value, kind);
}

/** A Kubernetes name that must be an RFC 1123 subdomain (most objects, nodes): ≤ 253, dot-separated labels. */
export function dnsSubdomain(value: string, kind = 'dns-subdomain'): SafeArg {
  if (value.length === 0 || value.length > 253) throw new ArgRefused(kind, value, 'length must be 1 to 253');
  if (!value.split('.').every((label) => label.length <= 63 && LABEL.test(label)))
    throw new ArgRefused(kind, value, 'not an RFC 1123 subdomain');
  return mint(value, kind);
}

/** A host to connect to: an IPv4/IPv6 address or a DNS name (RFC 1123, case-insensitive). */
export function host(value: string): SafeArg {
  if (isIP(value) !== 0) return mint(value, 'host');
  return mint(dnsSubdomain(value.toLowerCase(), 'host').value, 'host');
}

/** A TCP/UDP port, 1–65535, written in plain decimal. */
export function port(value: number | string): SafeArg {
  const text = String(value);
  const n = Number(text);
  if (!/^[1-9][0-9]{0,4}$/.test(text) || n > 65535) throw new ArgRefused('port', text, 'not a port 1-65535');
  return mint(text, 'port');
}

/** `host:port`, each part validated (IPv6 in brackets, as tools take it). */
export function hostPort(h: string, p: number | string): SafeArg {
  const safeHost = host(h).value;
  const text = `${isIP(safeHost) === 6 ? `[${safeHost}]` : safeHost}:${port(p).value}`;
  return mint(text, 'host-port');
}

/**
 * An absolute path, normalised (`..` and `.` resolved lexically), that must lie under one of `roots`.
 * No NUL, no newline, no leading `-` (a path is never taken for an option), no `..` escaping a root.
 * The executor's caller still opens files with its own checks; this keeps the command line honest.
 */
export function pathUnder(value: string, roots: readonly string[]): SafeArg {
  if (value.length === 0 || value.length > 4096)
    throw new ArgRefused('path', value, 'length must be 1 to 4096');
  if (/[\0\n\r]/.test(value)) throw new ArgRefused('path', value, 'control character in path');
  if (!value.startsWith('/')) throw new ArgRefused('path', value, 'not absolute');
  const clean = posix.normalize(value).replace(/\/+$/, '') || '/';
  const inside = roots.some((root) => {
    const r = posix.normalize(root).replace(/\/+$/, '') || '/';
    return r === '/' || clean === r || clean.startsWith(`${r}/`);
  });
  if (!inside) throw new ArgRefused('path', value, `not under ${roots.join(', ')}`);
  return mint(clean, 'path');
}

/** `--flag=value` where the flag is a literal and the value already validated. */
export function withFlag(flag: string, value: SafeArg): SafeArg {
  return mint(`${SafeArg.literal(flag).value}=${value.value}`, `${flag}=${value.kind}`);
}

/** Several validated values joined by `separator` (nmap's `-p 80,443`). */
export function joined(values: readonly SafeArg[], separator: ',' | ' '): SafeArg {
  if (values.length === 0) throw new ArgRefused('list', '', 'empty');
  return mint(values.map((v) => v.value).join(separator), `list(${values[0]!.kind})`);
}
