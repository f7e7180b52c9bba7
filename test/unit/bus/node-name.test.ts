import { describe, expect, it } from '@jest/globals';
import { consumerName, jobSubject } from '../../../core/bus/nats/jobs-stream.js';
import { checkNode, nodeFromToken } from '../../../core/bus/node-name.js';
import { subjectToken } from '../../../core/protocol/bus-messages.js';

describe('node names on the bus', () => {
  it('maps a dotted node name to one subject token and back', () => {
    const node = 'ip-10-0-1-5.eu-west-1.compute.internal';
    expect(jobSubject(node)).toBe(`seco.jobs.${subjectToken(node)}`);
    expect(jobSubject(node).split('.')).toHaveLength(3);
    expect(nodeFromToken(subjectToken(node))).toBe(node);
    expect(nodeFromToken(subjectToken('odd~name_x'))).toBe('odd~name_x');
  });

  it('gives distinct nodes distinct consumers, even when escapes could collide', () => {
    const names = ['a.b', 'a~2eb', 'a_2eb', 'a-2eb'].map(consumerName);
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name).not.toMatch(/[.*>\s]/);
  });

  it('hashes overlong consumer names to a fixed length', () => {
    const long = consumerName('n.'.repeat(120));
    expect(long).toMatch(/^node-sha256-[0-9a-f]{64}$/);
  });

  it('refuses empty, overlong or spaced node names', () => {
    for (const node of ['', 'a b', 'x'.repeat(254), 'tab\tnode'])
      expect(() => checkNode(node)).toThrow(/invalid node name/);
    expect(checkNode('worker-1')).toBe('worker-1');
  });
});
