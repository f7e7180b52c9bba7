import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { aggregatorConfig } from '../../../aggregator/config.js';
import { flagsUsage, parseServiceFlags } from '../../../core/service/service-flags.js';

const dir = mkdtempSync(join(tmpdir(), 'seco-secret-flags-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const SPECS = { password: { env: 'SECO_PASSWORD', help: 'a secret', secret: true } } as const;

describe('secret flags from files', () => {
  it('takes --<flag>-file and <ENV>_FILE, trimmed, so the secret is not in argv or the environment', () => {
    const path = file('password', 's3cr3t\n');
    expect(parseServiceFlags(SPECS, ['--password-file', path], {}).password).toBe('s3cr3t');
    expect(parseServiceFlags(SPECS, [], { SECO_PASSWORD_FILE: path }).password).toBe('s3cr3t');
    // The flag itself still wins, as before.
    expect(parseServiceFlags(SPECS, ['--password', 'given', '--password-file', path], {}).password).toBe(
      'given',
    );
  });

  it('names the flag and the file when it cannot be read or is empty', () => {
    expect(() => parseServiceFlags(SPECS, ['--password-file', join(dir, 'missing')], {})).toThrow(
      /--password-file ".*missing": ENOENT/,
    );
    expect(() => parseServiceFlags(SPECS, ['--password-file', file('empty', '\n')], {})).toThrow(/is empty/);
  });

  it('lists the file form in --help', () => {
    expect(flagsUsage('t', SPECS)).toMatch(
      /--password-file\s+file holding --password, preferred \(env SECO_PASSWORD_FILE\)/,
    );
  });

  it('gives the aggregator its S3 keys and metrics token from files', () => {
    const config = aggregatorConfig(
      [
        '--s3-access-key-file',
        file('ak', 'AKIA\n'),
        '--s3-secret-key-file',
        file('sk', 'secret-key\n'),
        '--metrics-token-file',
        file('mt', 'metrics-token\n'),
      ],
      {},
    );
    expect(config.s3.accessKey).toBe('AKIA');
    expect(config.s3.secretKey).toBe('secret-key');
    expect(config.metrics).toEqual({ host: '0.0.0.0', port: 9090, token: 'metrics-token' });
    expect(config.api).toBeUndefined();
  });
});
