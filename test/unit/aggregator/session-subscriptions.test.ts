import { describe, expect, test } from '@jest/globals';
import { SessionSubscriptions } from '../../../aggregator/session-subscriptions.js';

describe('SessionSubscriptions', () => {
  test('stop stops one subscription; the watch counts like a scan', () => {
    const stopped: string[] = [];
    const subscriptions = new SessionSubscriptions();
    subscriptions.add('scan-1', () => stopped.push('scan-1'));
    subscriptions.add('watch', () => stopped.push('watch'));
    expect(subscriptions.size).toBe(2);
    subscriptions.stop('scan-1');
    expect(stopped).toEqual(['scan-1']);
    expect(subscriptions.size).toBe(1);
  });

  test('following the same scan again stops the first subscription, so its messages are not relayed twice', () => {
    const stopped: string[] = [];
    const subscriptions = new SessionSubscriptions();
    subscriptions.add('scan-1', () => stopped.push('first'));
    subscriptions.add('scan-1', () => stopped.push('second'));
    expect(stopped).toEqual(['first']);
    expect(subscriptions.size).toBe(1);
    subscriptions.stopAll();
    expect(stopped).toEqual(['first', 'second']);
  });

  test('a subscription completed after the connection closed is stopped at once', () => {
    const stopped: string[] = [];
    const subscriptions = new SessionSubscriptions();
    subscriptions.add('scan-1', () => stopped.push('scan-1'));
    subscriptions.stopAll();
    // What an attach or scan.start still awaiting bus.subscribe() when the socket closed adds afterwards.
    subscriptions.add('scan-2', () => stopped.push('scan-2'));
    expect(stopped).toEqual(['scan-1', 'scan-2']);
    expect(subscriptions.size).toBe(0);
  });
});
