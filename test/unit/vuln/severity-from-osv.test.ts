import { describe, expect, it } from '@jest/globals';
import { ratingOf, severityOf } from '../../../core/vuln/severity-from-osv.js';

describe('severityOf', () => {
  it('scores a CVSS v3.1 vector and rates it', () => {
    expect(
      severityOf({
        id: 'X',
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      }),
    ).toEqual({
      severity: 'critical',
      cvss: { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8 },
    });
  });

  it('prefers CVSS v4 over v3 when a record has both', () => {
    const scored = severityOf({
      id: 'X',
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N' },
      ],
    });
    expect(scored.cvss?.version).toBe('4.0');
    expect(scored.severity).toBe('medium');
  });

  it('falls back to the database word when there is no usable vector', () => {
    expect(
      severityOf({
        id: 'X',
        severity: [{ type: 'CVSS_V3', score: 'garbage' }],
        database_specific: { severity: 'MODERATE' },
      }),
    ).toEqual({
      severity: 'medium',
    });
    expect(severityOf({ id: 'X' }, { database_specific: { urgency: 'unimportant' } }).severity).toBe('info');
    expect(severityOf({ id: 'X', database_specific: { severity: 'HIGH' } }).severity).toBe('high');
  });

  it('rates scores with the CVSS qualitative scale', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingOf)).toEqual([
      'info',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
