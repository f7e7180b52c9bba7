import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { type OsvAffected, OsvRecord } from '../../../../core/vuln/osv/osv-record.js';
import { evaluateAffected } from '../../../../core/vuln/versions/affected.js';
import { orderingFor } from '../../../../core/vuln/versions/index.js';

/** The first affected[] entry of an OSV record fixture (schema-checked unless hostile on purpose), judged by its ecosystem's ordering. */
function fixture(name: string, validate = true) {
  const json = JSON.parse(readFileSync(`test/fixtures/vuln/versions/osv/${name}.json`, 'utf8'));
  const record = (validate ? OsvRecord.parse(json) : json) as OsvRecord;
  const entry = record.affected![0]!;
  const ordering = orderingFor(entry.package!.ecosystem)!;
  return (version: string) => evaluateAffected(entry, version, ordering);
}

describe('evaluateAffected (OSV schema "Evaluation")', () => {
  it('affects versions from introduced "0" up to fixed, and names the fix', () => {
    const check = fixture('debian-openssl');
    expect(check('3.0.11-1~deb12u2')).toEqual({ affected: true, fixedIn: ['3.0.15-1~deb12u1'] });
    expect(check('3.0.15-1~deb12u1')).toEqual({ affected: false, fixedIn: [] });
    expect(check('3.0.16-1~deb12u1').affected).toBe(false);
    expect(check('1:0.9').affected).toBe(false);
  });

  it('sorts a range whose events are out of order and walks several introduced/fixed pairs', () => {
    const check = fixture('npm-two-branches');
    expect(check('0.9.0').affected).toBe(false);
    expect(check('1.0.0')).toEqual({ affected: true, fixedIn: ['1.4.2'] });
    expect(check('1.3.0')).toEqual({ affected: true, fixedIn: ['1.4.2'] });
    expect(check('1.4.2').affected).toBe(false);
    expect(check('1.5.0').affected).toBe(false);
    expect(check('2.0.0-rc.1').affected).toBe(false);
    expect(check('2.0.1')).toEqual({ affected: true, fixedIn: ['2.0.5'] });
    expect(check('2.0.5').affected).toBe(false);
  });

  it('reads SEMVER ranges as SemVer 2.0 even when the installed Go version has a v prefix', () => {
    const check = fixture('go-module');
    expect(check('v0.22.0')).toEqual({ affected: true, fixedIn: ['0.23.0'] });
    expect(check('v0.0.0-20220101000000-abcdefabcdef').affected).toBe(true);
    expect(check('v0.23.0').affected).toBe(false);
    expect(check('v0.23.1-0.20240101000000-abcdefabcdef').affected).toBe(false);
  });

  it('includes last_affected itself, nothing after it, and versions listed explicitly', () => {
    const check = fixture('pypi-last-affected');
    expect(check('1.2.post1')).toEqual({ affected: true, fixedIn: [] });
    expect(check('1.2')).toEqual({ affected: true, fixedIn: [] });
    expect(check('1.2.post2').affected).toBe(false);
    expect(check('1.3').affected).toBe(false);
    expect(check('0.9.1').affected).toBe(true);
    expect(check('0.9.2').affected).toBe(false);
  });

  it('caps a range at its limit and ignores GIT ranges', () => {
    const check = fixture('alpine-limit-and-git');
    expect(check('1.36.1-r19')).toEqual({ affected: true, fixedIn: [] });
    expect(check('1.36.1-r20').affected).toBe(false);
    expect(check('1.37.0-r0').affected).toBe(false);
  });

  it('names only fixes that are not themselves affected by another range', () => {
    const check = fixture('maven-overlapping');
    expect(check('2.14.1')).toEqual({ affected: true, fixedIn: ['2.16.0'] });
    expect(check('2.15.0')).toEqual({ affected: true, fixedIn: ['2.16.0'] });
    expect(check('2.3')).toEqual({ affected: true, fixedIn: ['2.3.1'] });
    expect(check('2.0-beta8').affected).toBe(false);
    expect(check('2.3.1').affected).toBe(false);
    expect(check('2.16.0').affected).toBe(false);
  });

  it('skips malformed events, unknown range types and unreadable versions without throwing', () => {
    const check = fixture('hostile-events', false);
    expect(check('7.88.1-10+deb12u4')).toEqual({ affected: true, fixedIn: ['7.88.1-10+deb12u5'] });
    expect(check('7.88.1-10+deb12u5').affected).toBe(false);
    expect(check('::')).toEqual({ affected: true, fixedIn: [] });
    expect(check('').affected).toBe(false);
    const deb = orderingFor('Debian')!;
    const junk = {
      ranges: [null, 7, { type: 'ECOSYSTEM', events: 'x' }, { type: 'ECOSYSTEM', events: [null, 3] }],
    };
    expect(evaluateAffected(junk as unknown as OsvAffected, '1.0', deb)).toEqual({
      affected: false,
      fixedIn: [],
    });
    expect(evaluateAffected(null as unknown as OsvAffected, '1.0', deb)).toEqual({
      affected: false,
      fixedIn: [],
    });
  });
});
