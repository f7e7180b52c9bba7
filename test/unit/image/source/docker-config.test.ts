import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { credentialsFrom, dockerConfigCredentials } from '../../../../core/image/source/docker-config.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('docker config.json credentials', () => {
  it('decodes auths.<host>.auth (base64 user:password, password may hold colons)', () => {
    const config = { auths: { 'registry.example.com': { auth: b64('me:pa:ss') } } };
    expect(credentialsFrom(config, 'registry.example.com')).toEqual({ username: 'me', password: 'pa:ss' });
  });

  it('prefers explicit username/password and finds keys written with a scheme', () => {
    const config = {
      auths: { 'https://r.example:5000': { username: 'u', password: 'p', auth: b64('x:y') } },
    };
    expect(credentialsFrom(config, 'r.example:5000')).toEqual({ username: 'u', password: 'p' });
  });

  it('returns an identity token (OAuth2 refresh token) over a password', () => {
    const config = {
      auths: {
        'acr.example.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-me' },
      },
    };
    expect(credentialsFrom(config, 'acr.example.io')).toEqual({
      identityToken: 'refresh-me',
      username: '00000000-0000-0000-0000-000000000000',
    });
  });

  it('maps Docker Hub to its legacy https://index.docker.io/v1/ key', () => {
    const config = { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } };
    expect(credentialsFrom(config, 'docker.io')).toEqual({ username: 'hub', password: 'pw' });
  });

  it('ignores wrongly typed entries instead of throwing', () => {
    expect(credentialsFrom({ auths: { h: 7 } }, 'h')).toBeUndefined();
    expect(credentialsFrom({ auths: { h: { auth: 42, username: [] } } }, 'h')).toBeUndefined();
    expect(credentialsFrom('nonsense', 'h')).toBeUndefined();
    expect(credentialsFrom(null, 'h')).toBeUndefined();
  });

  it('reads a config file, and treats a missing or broken one as no credentials', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seco-dockercfg-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ auths: { h: { auth: b64('a:b') } } }));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    expect(await dockerConfigCredentials('h', join(dir, 'good.json'))).toEqual({
      username: 'a',
      password: 'b',
    });
    expect(await dockerConfigCredentials('h', join(dir, 'broken.json'))).toBeUndefined();
    expect(await dockerConfigCredentials('h', join(dir, 'missing.json'))).toBeUndefined();
  });
});
