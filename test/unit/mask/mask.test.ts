import { describe, expect, it } from '@jest/globals';
import { shannonEntropy } from '../../../core/mask/entropy.js';
import {
  findSecretPatterns,
  findSecrets,
  isPlaceholder,
  maskSecret,
  maskSecretsIn,
} from '../../../core/mask/mask.js';
import { SECRET_PATTERNS } from '../../../core/mask/secret-patterns.js';

// Fake credentials in each provider's documented shape.
const SAMPLES: Record<string, string> = {
  'aws-access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  'github-token': `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`,
  'gitlab-token': 'glpat-xY7z9AbCdEfGhIjKlMnO',
  'slack-token': 'xoxb-123456789012-abcdefghijkl',
  'slack-webhook': 'https://hooks.slack.com/services/T0000AAAA/B1111BBBB/abcdefghijklmnopqrstuvwx',
  'stripe-key': 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'google-api-key': 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q',
  'npm-token': 'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  'pypi-token': `pypi-AgEIcHlwaS5vcmc${'Q1w2E3r4T5y6'.repeat(5)}`,
  'sendgrid-key': `SG.${'a'.repeat(10)}B${'c'.repeat(11)}.${'d1E2f3G4h5'.repeat(4)}abc`,
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'private-key': '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx\n-----END RSA PRIVATE KEY-----',
};

describe('maskSecret', () => {
  it('keeps a 4-character hint of long values', () => {
    expect(maskSecret('AKIAIOSFODNN7EXAMPLE')).toBe('AKIA****************');
  });

  it('keeps 2 characters of medium values and none of short ones', () => {
    expect(maskSecret('hunter2!x-y-z')).toBe('hu***********');
    expect(maskSecret('hunter2!x-y')).toBe('***********');
    expect(maskSecret('hunter2')).toBe('*******');
    expect(maskSecret('ab')).toBe('****');
    expect(maskSecret('')).toBe('****');
  });

  it('caps the mask so it does not reveal the length of long values', () => {
    expect(maskSecret('x'.repeat(500))).toBe(`xxxx${'*'.repeat(16)}`);
  });

  it.each(Object.entries(SAMPLES))('never shows more than 4 characters of a %s', (_id, secret) => {
    const masked = maskSecret(secret);
    expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(4);
    expect(masked).not.toContain(secret.slice(0, 5));
  });

  it('does not split characters outside the basic plane', () => {
    expect(maskSecret('🔑'.repeat(20))).toBe(`🔑🔑🔑🔑${'*'.repeat(16)}`);
  });
});

describe('findSecrets', () => {
  it.each(Object.entries(SAMPLES))('finds a %s inside text', (id, secret) => {
    const found = findSecrets(`prefix ${secret} suffix`);
    expect(found.map((m) => m.patternId)).toContain(id);
    const match = found.find((m) => m.patternId === id)!;
    expect(`prefix ${secret} suffix`.slice(match.index, match.index + match.length)).toBe(secret);
  });

  it('has a sample for every pattern with a fixed format', () => {
    const contextual = new Set([
      'aws-secret-access-key',
      'azure-storage-key',
      'url-credentials',
      'password-assignment',
      'high-entropy-assignment',
    ]);
    for (const pattern of SECRET_PATTERNS)
      expect(contextual.has(pattern.id) || pattern.id in SAMPLES).toBe(true);
  });

  it('finds an AWS secret access key only next to its name', () => {
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(findSecrets(`aws_secret_access_key = ${key}`).map((m) => m.patternId)).toContain(
      'aws-secret-access-key',
    );
    expect(findSecrets(`checksum ${key}`).map((m) => m.patternId)).not.toContain('aws-secret-access-key');
  });

  it('finds an Azure storage account key in a connection string', () => {
    const key = `${'Ab3+'.repeat(21)}xy==`;
    const text = `DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=${key};EndpointSuffix=core.windows.net`;
    expect(findSecrets(text).map((m) => m.patternId)).toContain('azure-storage-key');
    expect(maskSecretsIn(text)).not.toContain(key);
  });

  it('finds passwords in URLs and in assignments', () => {
    expect(findSecrets('postgres://app:s3cr3t-pw@db:5432/app').map((m) => m.patternId)).toEqual([
      'url-credentials',
    ]);
    expect(findSecrets('--password=correct-horse').map((m) => m.patternId)).toEqual(['password-assignment']);
    expect(findSecrets('DB_PASSWORD=hunter22').map((m) => m.patternId)).toEqual(['password-assignment']);
    expect(findSecrets('"client_secret": "abc123def"').map((m) => m.patternId)).toEqual([
      'password-assignment',
    ]);
  });

  it('finds high-entropy values assigned to key-like names, not low-entropy ones', () => {
    expect(findSecrets('SESSION_KEY_BASE=q8Zr2XkP0vLm9WnT4bYc7HdJ').map((m) => m.patternId)).toEqual([
      'high-entropy-assignment',
    ]);
    expect(findSecrets('sort_key: aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toEqual([]);
  });

  it('ignores references and placeholders in assignments', () => {
    for (const text of [
      'password=$(DB_PASSWORD)',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style reference, which is the point
      'password: ${DB_PASSWORD}',
      'password = {{ .Values.db.password }}',
      'password: <password>',
      'password=********',
      'postgres://app:$(DB_PASSWORD)@db/app',
      'password: null',
    ])
      expect({ text, found: findSecrets(text) }).toEqual({ text, found: [] });
  });

  it('finds a credential passed as the next argument of a flag, not a word after one in prose', () => {
    expect(maskSecretsIn('mysql -u root --password s3cretPW db')).toBe(
      'mysql -u root --password ******** db',
    );
    expect(findSecrets('the password should be rotated yearly')).toEqual([]);
  });

  it('does not take setting names that merely mention a credential for credentials', () => {
    expect(findSecrets('PASSWORD_FILE=/run/secrets/db token_ttl: 3600')).toEqual([]);
  });

  it('leaves ordinary text alone', () => {
    expect(findSecrets('nginx -g daemon off; LOG_LEVEL=info replicas: 3 image@sha256:abc')).toEqual([]);
  });

  it('tolerates input that is not a string', () => {
    expect(findSecrets(undefined as unknown as string)).toEqual([]);
    expect(findSecrets(42 as unknown as string)).toEqual([]);
  });

  it('is also exported as findSecretPatterns', () => {
    expect(findSecretPatterns).toBe(findSecrets);
  });
});

describe('isPlaceholder', () => {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style reference, which is the point
  it.each(['$(TOKEN)', '${TOKEN}', '$TOKEN', '{{ .Values.token }}', '<token>', 'xxxx', '', 'null', 'true'])(
    'treats %j as a placeholder',
    (value) => expect(isPlaceholder(value)).toBe(true),
  );
  it.each(['changeme', 'hunter2', 'p@ss$(x)word'])('treats %j as a value', (value) =>
    expect(isPlaceholder(value)).toBe(false),
  );
});

describe('maskSecretsIn', () => {
  it('never leaves a secret in the text', () => {
    const secrets = Object.values(SAMPLES);
    const text = `run ${secrets.join(' --flag ')} url=https://u:pw12345@h/ --password=correct-horse`;
    const masked = maskSecretsIn(text);
    for (const secret of [...secrets, 'pw12345', 'correct-horse', 'MIIEowIBAAKCAQEAx'])
      expect(masked).not.toContain(secret);
    expect(masked).toContain('run ');
    expect(masked).toContain('--flag');
  });

  it('keeps the text around the secrets as it was', () => {
    expect(maskSecretsIn('aws s3 cp --key AKIAIOSFODNN7EXAMPLE s3://bucket/')).toBe(
      'aws s3 cp --key AKIA**************** s3://bucket/',
    );
  });

  it('masks overlapping matches as one span, leaking nothing of either', () => {
    const token = `ghp_${'Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc'}`;
    const masked = maskSecretsIn(`GITHUB_TOKEN=${token}`);
    expect(masked).toBe('GITHUB_TOKEN=ghp_****************');
  });

  it('returns text without secrets unchanged', () => {
    expect(maskSecretsIn('kubectl get pods -n shop')).toBe('kubectl get pods -n shop');
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character and higher for random text', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('ab')).toBe(1);
    expect(shannonEntropy('q8Zr2XkP0vLm9WnT4bYc7HdJ')).toBeGreaterThan(4);
  });
});
