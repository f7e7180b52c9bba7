import { describe, expect, it } from '@jest/globals';
import { byteOrder, objectPath } from '../../../core/store/fs/fs-paths.js';

describe('objectPath', () => {
  it('puts a key under the root, one folder per segment', () => {
    expect(objectPath('/data/store', 'scans/s1/report.json')).toBe('/data/store/scans/s1/report.json');
  });

  it('refuses keys that could leave the root or clash with the store', () => {
    expect(() => objectPath('/data/store', '../x')).toThrow(/invalid object key/);
    expect(() => objectPath('/data/store', '.seco-tmp/x')).toThrow(/reserved/);
    expect(() => objectPath('/data/store', `a/${'x'.repeat(256)}`)).toThrow(/longer than 255 bytes/);
  });
});

describe('byteOrder', () => {
  it('orders by UTF-8 bytes, as S3 lists keys', () => {
    // UTF-16 code units put U+1F600 (surrogates, 0xD83D…) before U+E000; UTF-8 bytes (F0… vs EE…) after.
    expect(['\u{1F600}', '\uE000', 'a'].sort(byteOrder)).toEqual(['a', '\uE000', '\u{1F600}']);
  });
});
