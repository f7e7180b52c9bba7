import { describe, expect, it } from '@jest/globals';
import { requestHeaderConfigFrom } from '../../../aggregator/request-header-auth.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('requestHeaderConfigFrom (kube-system/extension-apiserver-authentication)', () => {
  it('reads the requestheader CA and the JSON lists kube-apiserver writes', () => {
    expect(
      requestHeaderConfigFrom({
        'requestheader-client-ca-file': CA,
        'requestheader-allowed-names': '["front-proxy-client"]',
        'requestheader-username-headers': '["X-Remote-User"]',
        'requestheader-group-headers': '["X-Remote-Group"]',
        'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      }),
    ).toEqual({
      clientCa: CA,
      allowedNames: ['front-proxy-client'],
      usernameHeaders: ['X-Remote-User'],
      groupHeaders: ['X-Remote-Group'],
      extraHeaderPrefixes: ['X-Remote-Extra-'],
      uidHeaders: [],
    });
  });

  it('an empty allowed-names list means any certificate the CA signed, as upstream', () => {
    const config = requestHeaderConfigFrom({
      'requestheader-client-ca-file': CA,
      'requestheader-allowed-names': '[]',
      'requestheader-username-headers': '["X-Remote-User"]',
    });
    expect(config.allowedNames).toEqual([]);
  });

  it('refuses a cluster without the aggregation layer, and lists that are not JSON lists', () => {
    expect(() => requestHeaderConfigFrom({ 'client-ca-file': CA })).toThrow(
      /no requestheader-client-ca-file/,
    );
    expect(() =>
      requestHeaderConfigFrom({
        'requestheader-client-ca-file': CA,
        'requestheader-username-headers': 'X-Remote-User',
      }),
    ).toThrow(/requestheader-username-headers is not a JSON list/);
    // No username header: nobody could be identified, so the configuration is refused.
    expect(() => requestHeaderConfigFrom({ 'requestheader-client-ca-file': CA })).toThrow();
  });
});
