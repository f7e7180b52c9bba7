import { describe, expect, it } from '@jest/globals';
import { findSecrets, maskSecret, maskSecretsIn } from '../../../core/mask/mask.js';

const SAMPLES = {
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: `ghp_${'a1B2c3D4e5'.repeat(4)}`,
  slack: 'xoxb-123456789012-abcdefghijkl',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----',
};

describe('maskSecret', () => {
  it('keeps at most a 4-character hint of long values and none of short ones', () => {
    expect(maskSecret(SAMPLES.aws)).toBe('AKIA****************');
    expect(maskSecret('hunter2')).toBe('*******');
    expect(maskSecret('ab')).toBe('****');
  });
});

describe('findSecrets', () => {
  it.each(Object.entries(SAMPLES))('finds a %s credential', (_kind, secret) => {
    expect(findSecrets(`prefix ${secret} suffix`)).toHaveLength(1);
  });

  it('finds passwords in URLs and assignments', () => {
    expect(findSecrets('postgres://app:s3cr3t-pw@db:5432/app').map((m) => m.patternId)).toEqual([
      'url-credentials',
    ]);
    expect(findSecrets('--password=correct-horse').map((m) => m.patternId)).toEqual(['password-assignment']);
  });

  it('leaves ordinary text alone', () => {
    expect(findSecrets('nginx -g daemon off; LOG_LEVEL=info replicas: 3')).toEqual([]);
  });
});

describe('maskSecretsIn', () => {
  it('never leaves a secret in the text', () => {
    const text = `run --token ${SAMPLES.github} --aws ${SAMPLES.aws} url=https://u:pw12345@h/ ${SAMPLES.pem}`;
    const masked = maskSecretsIn(text);
    for (const secret of [SAMPLES.github, SAMPLES.aws, 'pw12345', 'MIIEowIBAAKCAQEAx'])
      expect(masked).not.toContain(secret);
    expect(masked).toContain('run --token ghp_');
  });
});
