import { describe, expect, it } from '@jest/globals';
import { AggregatorError } from '../../../../plugin/cluster/aggregator-client.js';
import { aggregatorSocketUrl } from '../../../../plugin/cluster/aggregator-url.js';
import { explainConnectError } from '../../../../plugin/cluster/connect-errors.js';

const direct = { 'aggregator-url': 'ws://10.0.0.5:8080/ws', 'seco-namespace': 'seco-system' };
const proxied = { 'seco-namespace': 'seco-system' };

describe('--aggregator-url', () => {
  it('gets the /ws path when it has none, and ws:// for http://', () => {
    expect(aggregatorSocketUrl('ws://10.0.0.5:8080')).toBe('ws://10.0.0.5:8080/ws');
    expect(aggregatorSocketUrl('ws://10.0.0.5:8080/')).toBe('ws://10.0.0.5:8080/ws');
    expect(aggregatorSocketUrl('https://seco.example.com')).toBe('wss://seco.example.com/ws');
    expect(aggregatorSocketUrl('ws://10.0.0.5:8080/custom/ws')).toBe('ws://10.0.0.5:8080/custom/ws');
  });

  it('says what to give for something that is not a ws URL', () => {
    expect(() => aggregatorSocketUrl('10.0.0.5:8080')).toThrow(
      /must start with ws:\/\/ or wss:\/\/|is not a URL/,
    );
    expect(() => aggregatorSocketUrl('not a url')).toThrow('is not a URL: give ws://HOST:PORT/ws');
  });
});

describe('connection errors say what to do', () => {
  it('an unaccepted token names --token, --token-file and SECO_TOKEN', () => {
    const explained = explainConnectError(
      new AggregatorError('unauthorized', 'the token was not accepted'),
      direct,
    );
    expect(explained).toBeInstanceOf(AggregatorError);
    expect(explained.message).toBe(
      'the token was not accepted\nthe aggregator needs a bearer token: give one it accepts with --token TOKEN, --token-file FILE or the SECO_TOKEN variable',
    );
  });

  it('a 404 on a direct URL explains the /ws path; through the proxy it asks whether seco is installed', () => {
    const error = new Error('cannot reach aggregator ws://10.0.0.5:8080: HTTP 404');
    expect(explainConnectError(error, direct).message).toContain(
      'the aggregator serves its WebSocket at /ws',
    );
    expect(explainConnectError(error, proxied).message).toContain(
      'is seco installed (its APIService v1alpha1.seco.dev)?',
    );
  });

  it('a 403 through the API server names the seco.dev RBAC it needs; raw codes are spelled out', () => {
    expect(
      explainConnectError(new Error('cannot reach service: HTTP 403: forbidden'), proxied).message,
    ).toContain('RBAC "create" on scans.seco.dev');
    expect(
      explainConnectError(new Error('cannot reach aggregator: connect ECONNREFUSED 127.0.0.1:1'), direct)
        .message,
    ).toBe(
      'cannot reach aggregator: connection refused, nothing listens there (ECONNREFUSED) at 127.0.0.1:1',
    );
  });
});
