import { describe, expect, it } from '@jest/globals';
import { formatReference, parseReference } from '../../../../core/image/source/reference.js';

const digest = `sha256:${'ab'.repeat(32)}`;

describe('parseReference', () => {
  it('applies Docker Hub defaults: docker.io, library/, latest', () => {
    expect(parseReference('alpine')).toEqual({
      registry: 'docker.io',
      repository: 'library/alpine',
      tag: 'latest',
    });
    expect(parseReference('bitnami/redis:7.2')).toEqual({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '7.2',
    });
    expect(parseReference('index.docker.io/library/nginx:1')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
    });
  });

  it('recognises a host by a dot, a port or localhost', () => {
    expect(parseReference('ghcr.io/org/app:v1')).toEqual({
      registry: 'ghcr.io',
      repository: 'org/app',
      tag: 'v1',
    });
    expect(parseReference('127.0.0.1:5000/seco/app:1.0')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'seco/app',
      tag: '1.0',
    });
    expect(parseReference('localhost/app')).toEqual({
      registry: 'localhost',
      repository: 'app',
      tag: 'latest',
    });
  });

  it('keeps a digest, with or without a tag', () => {
    expect(parseReference(`quay.io/a/b@${digest}`)).toEqual({
      registry: 'quay.io',
      repository: 'a/b',
      digest,
    });
    expect(parseReference(`quay.io/a/b:t@${digest}`)).toEqual({
      registry: 'quay.io',
      repository: 'a/b',
      tag: 't',
      digest,
    });
    expect(formatReference(parseReference(`nginx@${digest}`))).toBe(`docker.io/library/nginx@${digest}`);
  });

  it('refuses malformed references with the reason', () => {
    expect(() => parseReference('Upper/Case')).toThrow(/lowercase/);
    expect(() => parseReference('a/b@sha256:123')).toThrow(/digest/);
    expect(() => parseReference('a/b:-bad')).toThrow(/bad tag/);
    expect(() => parseReference('a//b')).toThrow(/bad repository name/);
    expect(() => parseReference('')).toThrow(/empty/);
    expect(() => parseReference('ex ample.com/x')).toThrow(/registry host|repository/);
  });
});
