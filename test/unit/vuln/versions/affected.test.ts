import { describe, expect, it } from '@jest/globals';
import { OsvAffected } from '../../../../core/vuln/osv/osv-record.js';
import { evaluateAffected } from '../../../../core/vuln/versions/affected.js';
import { orderingFor } from '../../../../core/vuln/versions/index.js';

const deb = orderingFor('Debian:12')!;
const npm = orderingFor('npm')!;
const affected = (value: unknown) => OsvAffected.parse(value);

describe('evaluateAffected (OSV schema evaluation)', () => {
  const openssl = affected({
    package: { ecosystem: 'Debian:12', name: 'openssl' },
    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.15-1~deb12u1' }] }],
  });

  it('affects versions from introduced up to fixed, and names the fix', () => {
    expect(evaluateAffected(openssl, '3.0.11-1~deb12u2', deb)).toEqual({
      affected: true,
      fixedIn: ['3.0.15-1~deb12u1'],
    });
    expect(evaluateAffected(openssl, '3.0.15-1~deb12u1', deb)).toEqual({ affected: false, fixedIn: [] });
    expect(evaluateAffected(openssl, '3.0.16-1~deb12u1', deb).affected).toBe(false);
  });

  it('handles several introduced/fixed pairs in one range, whatever their order in the record', () => {
    const entry = affected({
      ranges: [
        {
          type: 'SEMVER',
          events: [{ fixed: '2.0.5' }, { introduced: '2.0.0' }, { introduced: '1.0.0' }, { fixed: '1.4.2' }],
        },
      ],
    });
    expect(evaluateAffected(entry, '0.9.0', npm).affected).toBe(false);
    expect(evaluateAffected(entry, '1.3.0', npm)).toEqual({ affected: true, fixedIn: ['1.4.2', '2.0.5'] });
    expect(evaluateAffected(entry, '1.5.0', npm).affected).toBe(false);
    expect(evaluateAffected(entry, '2.0.1', npm).affected).toBe(true);
  });

  it('includes last_affected itself and nothing after it', () => {
    const entry = affected({
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.2.0' }] }],
    });
    expect(evaluateAffected(entry, '1.2.0', npm)).toEqual({ affected: true, fixedIn: [] });
    expect(evaluateAffected(entry, '1.2.1', npm).affected).toBe(false);
  });

  it('honours limit events', () => {
    const entry = affected({
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '2.0.0' }] }],
    });
    expect(evaluateAffected(entry, '1.9.9', npm).affected).toBe(true);
    expect(evaluateAffected(entry, '2.0.0', npm).affected).toBe(false);
  });

  it('matches explicit versions lists and skips GIT ranges', () => {
    const entry = affected({
      versions: ['4.17.20'],
      ranges: [{ type: 'GIT', repo: 'https://x', events: [{ introduced: 'abc' }] }],
    });
    expect(evaluateAffected(entry, '4.17.20', npm).affected).toBe(true);
    expect(evaluateAffected(entry, '4.17.21', npm).affected).toBe(false);
  });
});
