import { describe, expect, it } from '@jest/globals';
import { imagePath } from '../../../../core/image/layers/safe-path.js';

describe('imagePath', () => {
  it('normalises leading slashes, dots and doubled slashes', () => {
    expect(imagePath('./usr/bin/../lib/x')).toBe('usr/lib/x');
    expect(imagePath('/etc//passwd')).toBe('etc/passwd');
    expect(imagePath('./')).toBe('');
  });

  it('keeps clean names as they are (a directory without its trailing slash), and normalises the rest', () => {
    expect(imagePath('usr/bin/x')).toBe('usr/bin/x');
    expect(imagePath('usr/bin/')).toBe('usr/bin');
    expect(imagePath('.../x/..y/y..')).toBe('.../x/..y/y..');
    expect(imagePath('.hidden/.wh..wh..opq')).toBe('.hidden/.wh..wh..opq');
    expect(imagePath('a/./b')).toBe('a/b');
    expect(imagePath('a/.')).toBe('a');
    expect(imagePath('a\\..\\b')).toBe('b');
    expect(imagePath('a//b/')).toBe('a/b');
    expect(imagePath('a/..')).toBe('');
    expect(imagePath('..')).toBeUndefined();
    expect(imagePath('a/../..')).toBeUndefined();
  });

  it('refuses paths that climb out of the image root', () => {
    expect(imagePath('../etc/passwd')).toBeUndefined();
    expect(imagePath('a/../../b')).toBeUndefined();
    expect(imagePath('/../x')).toBeUndefined();
  });
});
