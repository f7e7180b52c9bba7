import { describe, expect, it } from '@jest/globals';
import { jobRecord, planJobs } from '../../../aggregator/job-planner.js';
import type { ScanRecord } from '../../../aggregator/scan-record.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { jobQueue, nodeToolsQueue, SERVICE_TOOLS_NODE } from '../../../core/protocol/index.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function pod(name: string, node: string, image: string, digest?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop' },
    spec: { nodeName: node, imagePullSecrets: [{ name: 'regcred' }], containers: [{ name: 'app', image }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', image, imageID: digest ? `${image}@${digest}` : '' }],
    },
  };
}

function record(scanners: string[]): ScanRecord {
  return {
    scanId: 's1',
    target: { namespace: 'shop', name: 'shop' },
    targetName: 'shop',
    requestedBy: 'test',
    scanners,
    status: 'resolving',
    startedAt: new Date(0).toISOString(),
    deadline: 0,
    owner: 'r',
    leaseUntil: 0,
    jobs: {},
    problems: [],
  } as ScanRecord;
}

describe('planJobs with tools', () => {
  const pods = [
    pod('a', 'node-a', 'registry.example/shop/app:1', DIGEST),
    pod('b', 'node-b', 'registry.example/shop/app:1', DIGEST),
    pod('c', 'node-b', 'registry.example/shop/sidecar:2'),
  ];

  it('queues one image tools job per distinct image, for the tools runner of a node running it, with its pull secrets', () => {
    const planned = planJobs(record(['clamav', 'yara']), pods, 0);
    expect(planned.map((p) => p.job)).toEqual([
      expect.objectContaining({
        kind: 'tools',
        node: 'node-a',
        tools: ['clamav', 'yara'],
        image: 'registry.example/shop/app:1',
        digest: DIGEST,
        pullSecrets: [{ namespace: 'shop', name: 'regcred' }],
      }),
      expect.objectContaining({ kind: 'tools', node: 'node-b', image: 'registry.example/shop/sidecar:2' }),
    ]);
    expect(planned.map((p) => jobQueue(p.job))).toEqual([nodeToolsQueue('node-a'), nodeToolsQueue('node-b')]);
    // The record keeps what the ticket needs to hand over the pull credentials.
    expect(planned[0]!.record).toMatchObject({
      kind: 'tools',
      image: 'registry.example/shop/app:1',
      pullSecrets: [{ namespace: 'shop', name: 'regcred' }],
    });
    // Image jobs and image tools jobs of the same image do not share an id.
    const both = planJobs(record(['image', 'clamav']), pods, 0).map((p) => p.jobId);
    expect(new Set(both).size).toBe(both.length);
  });

  it('fails a tool job at once when no runner heartbeats for its queue, naming who would take it', () => {
    const [node] = planJobs(record(['lynis']), pods, 0);
    expect(jobRecord(node!.job, 0, new Set(['node-a', 'node-b'])).error).toMatch(
      /no seco tools runner is running on node node-a/,
    );
    expect(jobRecord(node!.job, 0, new Set([nodeToolsQueue('node-a')])).state).toBe('queued');
    const services = planJobs(record(['nmap']), pods, 0, [
      { namespace: 'shop', name: 'web', clusterIP: '10.0.0.9', ports: [443], declaredPorts: [443] },
    ]);
    expect(services.map((p) => [p.job.node, jobQueue(p.job)])).toEqual([
      [SERVICE_TOOLS_NODE, nodeToolsQueue(SERVICE_TOOLS_NODE)],
    ]);
    expect(jobRecord(services[0]!.job, 0, new Set(['node-a'])).error).toMatch(/the seco-tools Deployment/);
  });
});
