import { describe, expect, it } from '@jest/globals';
import { checkKey, checkPrefix, InvalidObjectKeyError } from '../../../core/store/object-key.js';

describe('checkKey', () => {
  it("accepts seco's object layout", () => {
    for (const key of [
      'scans/3f2a/report.json',
      'scans/3f2a/jobs/host-node-1.ndjson.gz',
      'sbom/sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.cdx.json',
      'vulndb/osv/PyPI/GHSA-xxxx-yyyy.json',
      'names/with space/and ünicode',
      '.hidden/..dots.../x',
    ])
      expect(checkKey(key)).toBe(key);
  });

  it('refuses climbing, absolute, empty-segment and control-character keys, saying why', () => {
    const cases: Array<[unknown, string]> = [
      ['../etc/passwd', '"." or ".." path segment'],
      ['a/../b', '"." or ".." path segment'],
      ['a/./b', '"." or ".." path segment'],
      ['/etc/passwd', 'starts with "/"'],
      ['a//b', 'empty path segment'],
      ['a/', 'empty path segment'],
      ['a\u0000b', 'control character'],
      ['a\nb', 'control character'],
      ['a\u0085b', 'control character'],
      ['a\\b', 'backslash'],
      ['a\ud800b', 'lone UTF-16 surrogate'],
      ['é'.repeat(513), 'longer than 1024 bytes'],
      ['', 'non-empty string'],
      [42, 'non-empty string'],
    ];
    for (const [key, why] of cases) {
      expect(() => checkKey(key)).toThrow(InvalidObjectKeyError);
      expect(() => checkKey(key)).toThrow(`invalid object key ${JSON.stringify(key)}: `);
      expect(() => checkKey(key)).toThrow(why);
    }
  });
});

describe('checkPrefix', () => {
  it('accepts everything, a folder, or the start of keys', () => {
    for (const prefix of ['', 'scans/', 'scans/s1/jobs/j']) expect(checkPrefix(prefix)).toBe(prefix);
  });

  it('refuses hostile prefixes', () => {
    for (const prefix of ['../', '/scans', 'a//', 'a\u0001', 'a/../'])
      expect(() => checkPrefix(prefix)).toThrow(/invalid object key .*as a prefix/);
  });
});
