import { describe, expect, it } from '@jest/globals';
import { checkBucketName, checkKvKey } from '../../../core/bus/key-value.js';

describe('key-value names (NATS KV, ADR-8)', () => {
  it('accepts keys of the NATS KV alphabet', () => {
    for (const key of ['scan.s1', 'agents.node_2e1', 'a/b=c-d_e', 'A9']) expect(checkKvKey(key)).toBe(key);
  });

  it('refuses keys outside it, naming them', () => {
    for (const key of ['', '.a', 'a.', 'a b', 'a*', 'a>', 'ü', 'x'.repeat(513), '../x'])
      expect(() => checkKvKey(key)).toThrow(`invalid key ${JSON.stringify(key)}`);
    expect(() => checkKvKey(7 as unknown as string)).toThrow(/invalid key/);
  });

  it('accepts bucket names of letters, digits, - and _ only', () => {
    expect(checkBucketName('seco-scans_1')).toBe('seco-scans_1');
    for (const bucket of ['', 'a.b', 'a b', 'x'.repeat(65)])
      expect(() => checkBucketName(bucket)).toThrow(/invalid key-value bucket name/);
  });
});
