import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { pullSecretCredentials, readPullSecret } from '../../../core/image/pull-secret-credentials.js';
import { parseReference } from '../../../core/image/source/reference.js';

// Written by the real kubectl (make-fixtures.sh), so they are the Secrets a cluster holds.
const secret = (file: string): unknown =>
  yaml.load(readFileSync(join('test/fixtures/image/pull-secrets', file), 'utf8'));

describe('pull secret credentials', () => {
  it('reads a kubernetes.io/dockerconfigjson secret as kubectl create secret docker-registry writes it', () => {
    expect(
      pullSecretCredentials(
        [secret('dockerconfigjson.yaml')],
        parseReference('registry.example.com:5000/shop/app:1'),
      ),
    ).toEqual([{ username: 'puller', password: 's3cret:pass' }]);
  });

  it('reads the legacy kubernetes.io/dockercfg format (entries without "auths")', () => {
    expect(readPullSecret(secret('dockercfg.yaml'))).toEqual([
      { key: 'old.example.com', credentials: { username: 'old', password: 'timer' }, secret: 'shop/legacy' },
    ]);
  });

  it('does not hand credentials to another host or port', () => {
    const secrets = [secret('dockerconfigjson.yaml')];
    expect(pullSecretCredentials(secrets, parseReference('registry.example.com/shop/app'))).toEqual([]);
    expect(pullSecretCredentials(secrets, parseReference('evil.example.com:5000/shop/app'))).toEqual([]);
  });

  it('orders matches as the kubelet does: the most specific path first, then the host', () => {
    const many = [secret('many-registries.yaml')];
    expect(pullSecretCredentials(many, parseReference('quay.io/team/app'))).toEqual([
      { username: 'quay-team', password: 'p2' },
      { username: 'quay-any', password: 'p1' },
    ]);
    expect(pullSecretCredentials(many, parseReference('quay.io/other/app'))).toEqual([
      { username: 'quay-any', password: 'p1' },
    ]);
  });

  it('uses https://index.docker.io/v1/ credentials for Docker Hub images, and globs one host label per *', () => {
    const many = [secret('many-registries.yaml')];
    expect(pullSecretCredentials(many, parseReference('nginx:1.27'))).toEqual([
      { username: 'hubuser', password: 'hubpass' },
    ]);
    expect(pullSecretCredentials(many, parseReference('eu.corp.example/app'))).toEqual([
      { identityToken: 'refresh-token' },
    ]);
    expect(pullSecretCredentials(many, parseReference('a.eu.corp.example/app'))).toEqual([]);
  });

  it('skips secrets of other types, as the kubelet does', () => {
    expect(
      pullSecretCredentials(
        [secret('opaque.yaml'), secret('dockerconfigjson.yaml')],
        parseReference('registry.example.com:5000/x'),
      ),
    ).toHaveLength(1);
    expect(() => readPullSecret(secret('opaque.yaml'))).toThrow(
      /pull secret shop\/opaque: type "Opaque" is not/,
    );
  });

  it.each([
    ['not-json.yaml', /pull secret shop\/not-json: \.dockerconfigjson is not valid JSON/],
    ['no-auths.yaml', /pull secret shop\/no-auths: no "auths" object/],
    ['auths-list.yaml', /pull secret shop\/auths-list: no "auths" object/],
    [
      'bad-auth-field.yaml',
      /pull secret shop\/bad-auth: auths\["r.example"\]\.auth is not base64 of user:password/,
    ],
    ['bad-base64.yaml', /pull secret shop\/bad-base64: data\.\.dockerconfigjson is not valid base64/],
    [
      'no-data.yaml',
      /pull secret shop\/empty: type kubernetes.io\/dockerconfigjson but no data\.\.dockerconfigjson/,
    ],
  ])('refuses %s with an error naming the secret', (file, message) => {
    expect(() => pullSecretCredentials([secret(file)], parseReference('r.example/app'))).toThrow(message);
  });

  it('refuses values that are not objects, oversized data and non-object secrets', () => {
    const base = { metadata: { name: 'x', namespace: 'ns' }, type: 'kubernetes.io/dockerconfigjson' };
    expect(() => readPullSecret({ ...base, data: { '.dockerconfigjson': 42 } })).toThrow(
      /ns\/x: data\.\.dockerconfigjson is not a string/,
    );
    expect(() => readPullSecret({ ...base, data: { '.dockerconfigjson': 'A'.repeat(2_000_000) } })).toThrow(
      /larger than a Secret can be/,
    );
    expect(() =>
      readPullSecret({ ...base, stringData: { '.dockerconfigjson': '{"auths":{"r":"str"}}' } }),
    ).toThrow(/ns\/x: auths\["r"\] is not an object/);
    expect(() => readPullSecret(null)).toThrow(/must be an object/);
  });
});
