import { describe, expect, it } from '@jest/globals';
import { fingerprint } from '../../../core/model/fingerprint.js';

describe('fingerprint', () => {
  it('is the same for the same rule on the same resource, wherever the file is', () => {
    const a = fingerprint('pss-baseline-privileged', {
      namespace: 'app',
      kind: 'Deployment',
      name: 'web',
      file: 'a.yaml',
      line: 3,
    });
    const b = fingerprint('pss-baseline-privileged', {
      namespace: 'app',
      kind: 'Deployment',
      name: 'web',
      file: 'b.yaml',
      line: 9,
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs by rule, resource, container and package version', () => {
    const base = { namespace: 'app', kind: 'Deployment', name: 'web' };
    const ids = new Set([
      fingerprint('r1', base),
      fingerprint('r2', base),
      fingerprint('r1', { ...base, name: 'api' }),
      fingerprint('r1', { ...base, container: 'c' }),
      fingerprint('r1', base, { name: 'openssl', version: '3.0.1' }),
      fingerprint('r1', base, { name: 'openssl', version: '3.0.2' }),
    ]);
    expect(ids.size).toBe(6);
  });

  it('keeps the ids of earlier releases (values computed by the join-then-hash implementation)', () => {
    const resource = {
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
      container: 'app',
      file: 'a.yaml',
      line: 3,
    };
    expect(fingerprint('pss-baseline-privileged', resource)).toBe('fb55502c5765d749');
    expect(fingerprint('', {})).toBe('bb10dc195db4b907');
    expect(
      fingerprint(
        'r',
        { cluster: 'c', node: 'n', image: 'i:1', name: '\u00e9\u2603' },
        { name: 'openssl', version: '3.0.2' },
      ),
    ).toBe('5e446b6dec161360');
  });

  it('keeps them when many rules were hashed in between (the per-rule table empties itself)', () => {
    const resource = { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' };
    expect(fingerprint('pss-baseline-privileged', resource)).toBe('fb55502c5765d749');
    const first = Array.from({ length: 10_000 }, (_, i) => fingerprint(`rule-${i}`, resource));
    expect(fingerprint('pss-baseline-privileged', resource)).toBe('fb55502c5765d749');
    expect(Array.from({ length: 10_000 }, (_, i) => fingerprint(`rule-${i}`, resource))).toEqual(first);
    expect(new Set(first).size).toBe(10_000);
  });
});
