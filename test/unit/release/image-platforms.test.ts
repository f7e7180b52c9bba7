import { describe, expect, it } from '@jest/globals';
import { statusRecord } from '../../../tools/release/image/debian-packages.js';
import { parsePlatforms } from '../../../tools/release/image/platforms.js';

describe('image platforms and dpkg records', () => {
  it('parses a comma-separated platform list, once each, and names an unknown one', () => {
    expect(parsePlatforms(['linux/amd64,linux/arm64', 'linux/amd64']).map((p) => p.nodeArch)).toEqual([
      'x64',
      'arm64',
    ]);
    expect(() => parsePlatforms(['linux/s390x'])).toThrow(
      'unknown platform "linux/s390x" (known: linux/amd64, linux/arm64)',
    );
    expect(() => parsePlatforms([''])).toThrow('no platform requested');
  });

  it("writes a distroless status.d record: the .deb's control fields marked installed", () => {
    const record = statusRecord({
      name: 'libc6',
      version: '2.36-9+deb12u14',
      root: '/nowhere',
      files: [],
      control: 'Package: libc6\nSource: glibc\nVersion: 2.36-9+deb12u14\nArchitecture: amd64\n',
    });
    expect(record).toBe(
      'Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u14\nArchitecture: amd64\n',
    );
  });
});
