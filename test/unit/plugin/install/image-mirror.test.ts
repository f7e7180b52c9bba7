import { describe, expect, it } from '@jest/globals';
import { mirrorImage, parseMirror } from '../../../../plugin/install/image-mirror.js';

describe('mirrorImage', () => {
  it('keeps the repository path after the mirror host and prefix', () => {
    expect(mirrorImage('docker.io/library/nats:2.10.24-alpine', 'mirror.corp/seco')).toBe(
      'mirror.corp/seco/library/nats:2.10.24-alpine',
    );
    expect(mirrorImage('quay.io/minio/minio:RELEASE.2024-12-18T13-15-44Z', '127.0.0.1:5000')).toBe(
      '127.0.0.1:5000/minio/minio:RELEASE.2024-12-18T13-15-44Z',
    );
    expect(mirrorImage('ghcr.io/seco-dev/seco:0.1.0', 'registry.local:5000/a/b/')).toBe(
      'registry.local:5000/a/b/seco-dev/seco:0.1.0',
    );
  });

  it('expands Docker Hub short names and keeps a digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(mirrorImage(`nats:2.10@${digest}`, 'localhost:5000')).toBe(
      `localhost:5000/library/nats:2.10@${digest}`,
    );
  });

  it('refuses what is not HOST[/PREFIX]', () => {
    expect(() => parseMirror('https://mirror.corp')).toThrow(
      '--image-registry "https://mirror.corp": give HOST[/PREFIX], without a scheme',
    );
    expect(() => parseMirror('mirror/seco')).toThrow(/must start with a registry host/);
    expect(() => parseMirror('mirror.corp/Seco')).toThrow('"Seco" is not a repository path component');
    expect(() => parseMirror('mirror.corp/a b')).toThrow(/not a repository path component/);
  });
});
