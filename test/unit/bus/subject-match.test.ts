import { describe, expect, it } from '@jest/globals';
import {
  checkPublishSubject,
  checkSubscribeSubject,
  subjectMatches,
} from '../../../core/bus/subject-match.js';

describe('subjectMatches (NATS subject wildcards)', () => {
  it('matches one token with * and one or more trailing tokens with >', () => {
    expect(subjectMatches('seco.events.*', 'seco.events.node-a')).toBe(true);
    expect(subjectMatches('seco.events.*', 'seco.events.node-a.x')).toBe(false);
    expect(subjectMatches('seco.events.>', 'seco.events.node-a.x')).toBe(true);
    expect(subjectMatches('seco.events.>', 'seco.events')).toBe(false);
    expect(subjectMatches('seco.*.s1', 'seco.progress.s1')).toBe(true);
    expect(subjectMatches('seco.events', 'seco.events')).toBe(true);
    expect(subjectMatches('seco.events', 'seco.events.a')).toBe(false);
  });

  it('treats > only as a wildcard in last place', () => {
    expect(subjectMatches('seco.>.x', 'seco.a.x')).toBe(false);
  });
});

describe('subject checks', () => {
  it('refuses wildcards, empty tokens and whitespace when publishing', () => {
    for (const subject of ['seco.*', 'seco.>', 'seco..a', '.seco', 'seco.', 'se co', ''])
      expect(() => checkPublishSubject(subject)).toThrow(`invalid subject ${JSON.stringify(subject)}`);
    expect(checkPublishSubject('seco.events.node~2ea')).toBe('seco.events.node~2ea');
  });

  it('allows * anywhere and > last when subscribing', () => {
    expect(checkSubscribeSubject('seco.*.x.>')).toBe('seco.*.x.>');
    for (const subject of ['seco.>.x', 'seco..x', '', 'a b'])
      expect(() => checkSubscribeSubject(subject)).toThrow(/invalid subscription subject/);
  });
});
