import { describe, expect, it } from '@jest/globals';
import { isSecretName } from '../../../core/mask/secret-name.js';

describe('isSecretName', () => {
  it.each([
    'PASSWORD',
    'DB_PASSWORD',
    'dbPassword',
    'db-password',
    'db.password',
    'SMTP_PASS',
    'MYSQL_ROOT_PWD',
    'GPG_PASSPHRASE',
    'CLIENT_SECRET',
    'AWS_SECRET_ACCESS_KEY',
    'GITHUB_TOKEN',
    'apiKey',
    'API_KEY',
    'STRIPE_APIKEY',
    'PRIVATE_KEY',
    'SIGNING_KEY',
    'ENCRYPTION_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS_JSON',
    'REGISTRY_CREDS',
  ])('says %s holds a credential', (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    'BYPASS_CACHE',
    'PASSENGER_COUNT',
    'TOKENIZER_MODEL',
    'COMPASS_URL',
    'DB_PASSWORD_FILE',
    'TOKEN_URL',
    'SECRET_NAME',
    'PASSWORD_MIN_LENGTH',
    'TOKEN_TTL',
    'AWS_ACCESS_KEY_ID',
    'CACHE_KEY',
    'KEY',
    'SORT_KEY',
    'LOG_LEVEL',
    '',
  ])('says %j does not hold a credential', (name) => expect(isSecretName(name)).toBe(false));
});

describe('isSecretName, asked many times', () => {
  it('gives the same verdicts past the number of names it remembers', () => {
    for (let i = 0; i < 5000; i++) expect(isSecretName(`SETTING_${i}`)).toBe(false);
    expect(isSecretName('DB_PASSWORD')).toBe(true);
    expect(isSecretName('DB_PASSWORD')).toBe(true);
    expect(isSecretName('PASSWORD_FILE')).toBe(false);
  });
});
