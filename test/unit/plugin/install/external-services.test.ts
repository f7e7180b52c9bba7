import { describe, expect, it } from '@jest/globals';
import { checkBucket, checkNatsUrl, checkS3 } from '../../../../plugin/install/external-services.js';

describe('external service flags', () => {
  it('accepts nats:// and tls:// URLs, refuses others and credentials in them', () => {
    expect(checkNatsUrl('nats://nats.infra:4222')).toEqual({ url: 'nats://nats.infra:4222' });
    expect(checkNatsUrl('tls://nats.infra:4222').url).toBe('tls://nats.infra:4222');
    expect(() => checkNatsUrl('http://nats:4222')).toThrow(
      '--nats-url "http://nats:4222": the scheme must be nats: or tls:',
    );
    expect(() => checkNatsUrl('nats://user:pw@nats:4222')).toThrow(/put no credentials in the URL/);
    expect(() => checkNatsUrl('nats.infra')).toThrow(/not a URL/);
  });

  it('needs a credentials Secret with --s3-endpoint, and only a server address', () => {
    expect(checkS3('https://s3.corp', 'seco-s3')).toEqual({
      endpoint: 'https://s3.corp',
      credentialsSecret: 'seco-s3',
    });
    expect(() => checkS3('https://s3.corp', undefined)).toThrow(
      '--s3-endpoint needs --s3-credentials-secret NAME',
    );
    expect(() => checkS3('https://s3.corp/bucket', 'x')).toThrow(/the bucket is --s3-bucket/);
    expect(() => checkS3('https://s3.corp', 'Bad_Name')).toThrow(
      '--s3-credentials-secret "Bad_Name": not a valid Secret name',
    );
    expect(() => checkBucket('Results')).toThrow(/not a valid bucket name/);
    expect(checkBucket('seco-results')).toBe('seco-results');
  });
});
