import { describe, expect, it } from '@jest/globals';
import { parseS3Endpoint } from '../../../core/store/s3/s3-endpoint.js';

describe('parseS3Endpoint', () => {
  it('reads scheme, host and port, defaulting the port by scheme', () => {
    expect(parseS3Endpoint('http://minio.seco.svc:9000')).toEqual({
      host: 'minio.seco.svc',
      port: 9000,
      useSSL: false,
    });
    expect(parseS3Endpoint('https://s3.eu-west-1.amazonaws.com')).toEqual({
      host: 's3.eu-west-1.amazonaws.com',
      port: 443,
      useSSL: true,
    });
    expect(parseS3Endpoint('http://10.0.0.5/')).toEqual({ host: '10.0.0.5', port: 80, useSSL: false });
    expect(parseS3Endpoint('http://[::1]:9000')).toEqual({ host: '::1', port: 9000, useSSL: false });
  });

  it('refuses what the client would silently misread, naming the endpoint', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['minio:9000', /scheme minio: is not http or https/],
      ['ftp://host', /scheme ftp: is not http or https/],
      ['not a url', /not a URL/],
      ['http://key:secret@host', /credentials/],
      ['http://host/bucket', /no path/],
      ['http://host?x=1', /no path/],
    ];
    for (const [endpoint, why] of cases) {
      expect(() => parseS3Endpoint(endpoint)).toThrow(`invalid S3 endpoint ${JSON.stringify(endpoint)}`);
      expect(() => parseS3Endpoint(endpoint)).toThrow(why);
    }
  });
});
