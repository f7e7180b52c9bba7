import { describe, expect, it } from '@jest/globals';
import { flatString, JoinedStrings, StringPool } from '../../../core/config/string-pool.js';

describe('StringPool', () => {
  it('gives back equal text for equal strings, however they were built', () => {
    const pool = new StringPool();
    const built = ['container ', '"web"', ': ', 'privileged'].join('');
    expect(pool.intern(built)).toBe('container "web": privileged');
    expect(pool.intern(`container "web": ${'privileged'}`)).toBe(pool.intern(built));
  });

  it('never changes the text, not even to its Unicode normal form', () => {
    const decomposed = 'caf\u0065\u0301 — note';
    expect(flatString(decomposed)).toBe(decomposed);
    expect(new StringPool().intern(decomposed)).toBe(decomposed);
    expect(flatString('')).toBe('');
  });
});

describe('JoinedStrings', () => {
  it('joins head and tail once per distinct pair and hands the same string back', () => {
    const texts = new JoinedStrings(': ');
    const head = ['container', '"web"'].join(' ');
    const first = texts.join(head, 'no livenessProbe');
    expect(first).toBe('container "web": no livenessProbe');
    expect(texts.join(`container ${'"web"'}`, `no ${'livenessProbe'}`)).toBe(first);
    expect(texts.join(head, 'no readinessProbe')).toBe('container "web": no readinessProbe');
    expect(texts.join('container "we', 'b": no livenessProbe')).toBe('container "we: b": no livenessProbe');
  });

  it('stays right after it empties itself at its limit', () => {
    const texts = new JoinedStrings(' / ', 3);
    for (let i = 0; i < 20; i++) expect(texts.join(`h${i % 5}`, `t${i}`)).toBe(`h${i % 5} / t${i}`);
  });
});
