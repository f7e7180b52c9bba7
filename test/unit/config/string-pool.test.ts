import { describe, expect, it } from '@jest/globals';
import { flatString, StringPool } from '../../../core/config/string-pool.js';

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
