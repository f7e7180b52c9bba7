import { describe, expect, it } from '@jest/globals';
import { agentConfig } from '../../../agent/config.js';

describe('agentConfig', () => {
  it('takes flags over SECO_* environment variables over defaults', () => {
    const config = agentConfig(['--node', 'node-a', '--s3-access-key', 'flag-key'], {
      SECO_NODE: 'ignored',
      SECO_S3_ACCESS_KEY: 'env-key',
      SECO_S3_SECRET_KEY: 'env-secret',
      SECO_NATS: 'nats://10.0.0.1:4222',
    });
    expect(config).toEqual({
      node: 'node-a',
      hostRoot: '/host',
      procRoot: '/host/proc',
      nats: 'nats://10.0.0.1:4222',
      s3Endpoint: 'http://seco-minio:9000',
      s3Bucket: 'seco',
      s3AccessKey: 'flag-key',
      s3SecretKey: 'env-secret',
    });
  });

  it('names a missing required value and refuses unknown flags', () => {
    expect(() => agentConfig([], {})).toThrow('missing --node (or SECO_NODE)');
    expect(() => agentConfig(['--bogus', 'x'], {})).toThrow(/bogus/);
  });
});
