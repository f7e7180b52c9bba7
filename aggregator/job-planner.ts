import { createHash } from 'node:crypto';
import type { KubeObject } from '../core/kube/types.js';
import { type Job, PROTOCOL_VERSION } from '../core/protocol/index.js';
import type { JobRecord, ScanRecord } from './scan-record.js';
import { containersByNode, nodesOf, runningImages } from './target-resolver.js';

export interface PlannedJob {
  jobId: string;
  job: Job;
  record: JobRecord;
}

/**
 * A job's id says what it does (kind, node, image), so planning the same scan twice — a replica taking
 * over a scan whose owner died while queueing — yields the same ids, and a job queued twice overwrites
 * its own result rather than adding a second one.
 */
export function jobIdFor(kind: Job['kind'], node: string, image = ''): string {
  return `${kind}-${createHash('sha256').update(`${node}\n${image}`).digest('hex').slice(0, 20)}`;
}

/** One host job and one runtime snapshot per node the app runs on, one image job per distinct image. */
export function planJobs(record: ScanRecord, pods: readonly KubeObject[], now: number): PlannedJob[] {
  const wanted = new Set(record.scanners);
  const planned: PlannedJob[] = [];
  const base = { v: PROTOCOL_VERSION, scanId: record.scanId } as const;
  if (wanted.has('host'))
    for (const node of nodesOf(pods)) {
      const jobId = jobIdFor('host', node);
      planned.push({
        jobId,
        job: { ...base, kind: 'host', jobId, node },
        record: { kind: 'host', node, state: 'queued', queuedAt: now },
      });
    }
  if (wanted.has('image'))
    for (const image of runningImages(pods)) {
      const node = image.nodes[0];
      if (!node) continue;
      const jobId = jobIdFor('image', node, image.digest ?? image.image);
      planned.push({
        jobId,
        job: {
          ...base,
          kind: 'image',
          jobId,
          node,
          image: image.image,
          ...(image.digest ? { digest: image.digest } : {}),
          ...(image.pullSecrets.length > 0 ? { pullSecrets: image.pullSecrets.slice(0, 16) } : {}),
        },
        record: {
          kind: 'image',
          node,
          image: image.image,
          ...(image.digest ? { digest: image.digest } : {}),
          state: 'queued',
          queuedAt: now,
        },
      });
    }
  if (wanted.has('runtime'))
    for (const { node, containers } of containersByNode(pods)) {
      if (containers.length === 0) continue;
      const jobId = jobIdFor('runtime', node);
      planned.push({
        jobId,
        job: { ...base, kind: 'runtime', jobId, node, containers: containers.slice(0, 1000) },
        record: { kind: 'runtime', node, state: 'queued', queuedAt: now },
      });
    }
  return planned;
}
