import { describe, expect, it } from '@jest/globals';
import { subjectToken } from '../../../core/protocol/bus-messages.js';
import {
  type Job,
  jobQueue,
  nodeToolsQueue,
  PROTOCOL_VERSION,
  SERVICE_TOOLS_NODE,
  serviceToolsQueue,
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

  it('sends Service tool jobs (node _services) to the queue the seco-tools replicas share', () => {
    const services: Job = {
      ...base,
      node: SERVICE_TOOLS_NODE,
      kind: 'tools',
      tools: ['nmap'],
      services: [
        { namespace: 'shop', name: 'web', clusterIP: '10.0.0.7', ports: [443], declaredPorts: [443] },
      ],
    };
    expect(jobQueue(services)).toBe(serviceToolsQueue());
    expect(serviceToolsQueue()).toBe('_services/tools');
  });

  it('never names a queue a node could have: `/` is no part of an RFC 1123 name, and survives as a subject token', () => {
    const queue = nodeToolsQueue('tools');
    expect(queue).not.toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(serviceToolsQueue()).not.toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    expect(subjectToken(queue)).toBe('tools~2ftools');
    expect(subjectToken(nodeToolsQueue('a.b'))).not.toBe(subjectToken('a.b'));
  });
});
