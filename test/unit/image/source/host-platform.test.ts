import { describe, expect, it } from '@jest/globals';
import { hostPlatform } from '../../../../core/image/source/host-platform.js';

describe('hostPlatform', () => {
  it('names the machine as image indexes do (GOARCH), so the node’s own image is scanned', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(hostPlatform('arm')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(hostPlatform('ppc64')).toEqual({ os: 'linux', architecture: 'ppc64le' });
    expect(hostPlatform('mips64el')).toEqual({ os: 'linux', architecture: 'mips64el' });
  });
});
