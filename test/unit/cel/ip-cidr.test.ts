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
    expect(() => evaluateCel(`ip('::ffff:1.2.3.4')`)).toThrow(/is not allowed/);
    expect(() => evaluateCel(`cidr('10.0.0.0')`)).toThrow(/parse error/);
  });

  // Kubernetes' own cases (ip_test.go, cidr_test.go) and netip's rules: the library passes Go's
  // parse errors on word for word, and policies' messages carry them.
  const firstLine = (expression: string) => {
    try {
      evaluateCel(expression);
    } catch (error) {
      return String((error as Error).message).split('\n')[0];
    }
    throw new Error(`${expression} did not fail`);
  };

  it.each([
    [
      `ip("192.168.0.1.0")`,
      'IP Address "192.168.0.1.0" parse error during conversion from string: ParseAddr("192.168.0.1.0"): IPv4 address too long',
    ],
    [
      `ip.isCanonical("2001:db8:::68")`,
      'IP Address "2001:db8:::68" parse error during conversion from string: ParseAddr("2001:db8:::68"): each colon-separated field must have at least one digit (at ":68")',
    ],
    [
      `ip("010.0.0.1")`,
      'IP Address "010.0.0.1" parse error during conversion from string: ParseAddr("010.0.0.1"): IPv4 field has octet with leading zero',
    ],
    [
      `ip("1..2.3")`,
      'IP Address "1..2.3" parse error during conversion from string: ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")',
    ],
    [
      `ip("12345::")`,
      'IP Address "12345::" parse error during conversion from string: ParseAddr("12345::"): IPv6 field has value >=2^16 (at "12345::")',
    ],
    [
      `ip("1:2:3:4:5:6:7:8:9")`,
      'IP Address "1:2:3:4:5:6:7:8:9" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")',
    ],
    [
      `ip("1:2:3:4::5:6:7:8")`,
      'IP Address "1:2:3:4::5:6:7:8" parse error during conversion from string: ParseAddr("1:2:3:4::5:6:7:8"): the :: must expand to at least one field of zeros',
    ],
    [`ip("")`, 'IP Address "" parse error during conversion from string: ParseAddr(""): unable to parse IP'],
    [`ip("fe80::1%eth0")`, 'IP address "fe80::1%eth0" with zone value is not allowed'],
    [`ip("::ffff:192.168.0.1")`, 'IPv4-mapped IPv6 address "::ffff:192.168.0.1" is not allowed'],
    [
      `cidr("192.168.0.0/")`,
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""',
    ],
    [
      `cidr("192.168.0.0/024")`,
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/024"): bad bits after slash: "024"',
    ],
    [
      `cidr("192.168.0.0/33")`,
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/33"): prefix length out of range',
    ],
    [
      `cidr("10.0.0.0")`,
      `network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("10.0.0.0"): no '/'`,
    ],
    [
      `cidr("fe80::1%eth0/64")`,
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix',
    ],
    [
      `cidr("::ffff:1.2.3.4/120")`,
      'network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:1.2.3.4/120" is not allowed',
    ],
    [
      `cidr("192.168.0.0/24").containsIP("x")`,
      'IP Address "x" parse error during conversion from string: ParseAddr("x"): unable to parse IP',
    ],
  ])("%s fails with netip's message", (expression, message) => {
    expect(firstLine(expression)).toBe(message);
  });

  it.each([
    [`cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16")`, true],
    [`cidr("192.168.0.0/16").containsCIDR("192.168.0.1/32")`, true],
    [`cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")`, false],
    [`string(ip("::1.2.3.4"))`, '::102:304'],
    [`type(ip("192.168.0.1")) == net.IP`, true],
    [`type(cidr("192.168.0.0/24")) == net.CIDR`, true],
    [`type(ip("192.168.0.1")) == net.CIDR`, false],
  ])('%s is %p', (expression, expected) => {
    expect(evaluateCel(expression)).toEqual(expected);
  });
});
