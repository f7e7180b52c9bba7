import { describe, expect, it } from '@jest/globals';
import { evaluateCel } from './evaluate-cel.js';

// Examples from the IP and CIDR libraries' godoc (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go).
describe('IP and CIDR libraries', () => {
  it.each([
    [`isIP('127.0.0.1')`, true],
    [`isIP('::1')`, true],
    [`isIP('127.0.0.256')`, false],
    [`isIP(':::1')`, false],
    [`isIP('127.0.0.1/24')`, false],
    [`isIP('::ffff:127.0.0.1')`, false],
    [`isIP('fe80::1%eth0')`, false],
    [`isIP('127.000.0.1')`, false],
    [`ip.isCanonical('127.0.0.1')`, true],
    [`ip.isCanonical('::1')`, true],
    [`ip.isCanonical('2001:db8::abcd')`, true],
    [`ip.isCanonical('2001:DB8::ABCD')`, false],
    [`ip.isCanonical('2001:db8:0:0:0:0:0:1')`, false],
    [`string(ip('2001:db8:0:0:0:0:0:1'))`, '2001:db8::1'],
    [`ip('127.0.0.1').family()`, 4n],
    [`ip('::1').family()`, 6n],
    [`ip('0.0.0.0').isUnspecified()`, true],
    [`ip('::').isUnspecified()`, true],
    [`ip('127.0.0.1').isLoopback()`, true],
    [`ip('::1').isLoopback()`, true],
    [`ip('224.0.0.1').isLinkLocalMulticast()`, true],
    [`ip('ff02::1').isLinkLocalMulticast()`, true],
    [`ip('169.254.169.254').isLinkLocalUnicast()`, true],
    [`ip('fe80::1').isLinkLocalUnicast()`, true],
    [`ip('192.168.0.1').isGlobalUnicast()`, true],
    [`ip('255.255.255.255').isGlobalUnicast()`, false],
    [`ip('2001:db8::abcd').isGlobalUnicast()`, true],
    [`ip('127.0.0.1') == ip('127.0.0.1')`, true],
    [`isCIDR('192.168.0.0/16')`, true],
    [`isCIDR('192.168.0.0/33')`, false],
    [`cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))`, true],
    [`cidr('192.168.0.0/24').containsIP('192.168.1.1')`, false],
    [`cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))`, true],
    [`cidr('192.168.1.0/24').containsCIDR('192.168.0.0/16')`, false],
    [`cidr('::1/128').containsIP('::1')`, true],
    [`cidr('192.168.0.0/24').ip() == ip('192.168.0.0')`, true],
    [`cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')`, true],
    [`string(cidr('192.168.0.1/24').masked())`, '192.168.0.0/24'],
    [`cidr('192.168.0.0/16').prefixLength()`, 16n],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });

  it('refuses an address that does not parse', () => {
    expect(() => evaluateCel(`ip('::ffff:1.2.3.4')`)).toThrow(/parse error/);
    expect(() => evaluateCel(`cidr('10.0.0.0')`)).toThrow(/parse error/);
  });
});
