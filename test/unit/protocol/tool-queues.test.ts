import { describe, expect, it } from '@jest/globals';
import { subjectToken } from '../../../core/protocol/bus-messages.js';
import {
  type Job,
  jobQueue,
  nodeToolsQueue,
  PROTOCOL_VERSION,
  SERVICE_TOOLS_QUEUE,
} from '../../../core/protocol/index.js';

const base = { v: PROTOCOL_VERSION, jobId: 'j1', scanId: 's1', node: 'node-a.example.com' } as const;

describe('tool queues', () => {
  it('sends tool jobs to the node’s tools runner and every other kind to the node’s agent', () => {
    const tools: Job = { ...base, kind: 'tools', tools: ['lynis'] };
    const host: Job = { ...base, kind: 'host' };
    const image: Job = { ...base, kind: 'image', image: 'nginx:1' };
    expect(jobQueue(tools)).toBe('node-a.example.com/tools');
    expect(jobQueue(host)).toBe('node-a.example.com');
    expect(jobQueue(image)).toBe('node-a.example.com');
  });

  it('never names a queue a node could have: `/` is no part of an RFC 1123 name, and survives as a subject token', () => {
    const queue = nodeToolsQueue('tools');
    expect(queue).not.toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(SERVICE_TOOLS_QUEUE).not.toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(subjectToken(queue)).toBe('tools~2ftools');
    expect(subjectToken(nodeToolsQueue('a.b'))).not.toBe(subjectToken('a.b'));
  });
});
