import { describe, expect, it } from '@jest/globals';
import { createSealingKeys, open, seal } from '../../../core/trust/sealed-box.js';

describe('sealed box', () => {
  it('opens only with the recipient key and the same context', () => {
    const agent = createSealingKeys();
    const sealed = seal(agent.publicKey, '[{"registry":"r","password":"p4ss"}]', 'scan-1/job-1');
    expect(JSON.stringify(sealed)).not.toContain('p4ss');
    expect(open(agent, sealed, 'scan-1/job-1')).toBe('[{"registry":"r","password":"p4ss"}]');
    // Another job's context: a ticket cannot be reused for a different job.
    expect(() => open(agent, sealed, 'scan-1/job-2')).toThrow(/does not open/);
    // Another agent's key.
    expect(() => open(createSealingKeys(), sealed, 'scan-1/job-1')).toThrow(/does not open/);
  });

  it('refuses altered ciphertext and keys that are not X25519', () => {
    const agent = createSealingKeys();
    const sealed = seal(agent.publicKey, 'secret', 'c');
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0]! ^= 1;
    expect(() => open(agent, { ...sealed, data: flipped.toString('base64') }, 'c')).toThrow(/altered/);
    expect(() => seal(Buffer.from('short').toString('base64'), 'x', 'c')).toThrow(/X25519/);
  });
});
