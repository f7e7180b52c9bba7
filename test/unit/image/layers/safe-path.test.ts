import { describe, expect, it } from '@jest/globals';
import { imagePath } from '../../../../core/image/layers/safe-path.js';

describe('imagePath', () => {
  it('normalises leading slashes, dots and doubled slashes', () => {
    expect(imagePath('./usr/bin/../lib/x')).toBe('usr/lib/x');
    expect(imagePath('/etc//passwd')).toBe('etc/passwd');
    expect(imagePath('./')).toBe('');
  });

  it('refuses paths that climb out of the image root', () => {
    expect(imagePath('../etc/passwd')).toBeUndefined();
    expect(imagePath('a/../../b')).toBeUndefined();
    expect(imagePath('/../x')).toBeUndefined();
  });
});
