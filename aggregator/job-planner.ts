import { createHash } from 'node:crypto';
import type { FeedbackJob } from '../core/feedback/feedback.js';
import type { KubeObject } from '../core/kube/types.js';
import {
  type Job,
  jobQueue,
  PROTOCOL_VERSION,
  SERVICE_TOOLS_NODE,
  type ServiceToolTarget,
  toolsWanted,
} from '../core/protocol/index.js';
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

/**
 * How a scan's record tracks a job — what it is and where — queued, or failed at once when nobody
 * heartbeats for its queue (`live`, when given: the node's agent, or its tools runner for a tool job), so
 * the scan does not wait for a job nobody will take.
 */
export function jobRecord(job: Job, now: number, live?: ReadonlySet<string>, rule?: string): JobRecord {
  const what: JobRecord = {
    kind: job.kind,
    node: job.node,
    ...((job.kind === 'image' || job.kind === 'tools') && job.image
      ? {
          image: job.image,
          ...(job.digest ? { digest: job.digest } : {}),
          ...(job.pullSecrets?.length ? { pullSecrets: job.pullSecrets } : {}),
        }
      : {}),
    state: 'queued',
    ...(rule ? { rule } : {}),
    queuedAt: now,
  };
  if (!live || live.has(jobQueue(job))) return what;
  return { ...what, state: 'failed', error: nobodyTakes(job) };
}

/** Why a job was failed at once: who would have taken it, and heartbeats for its queue nobody does. */
function nobodyTakes(job: Job): string {
  if (job.kind !== 'tools') return `no seco agent is running on node ${job.node} (no heartbeat)`;
  if (job.node === SERVICE_TOOLS_NODE)
    return 'no seco tools runner takes Service tool jobs (no heartbeat: the seco-tools Deployment)';
  return `no seco tools runner is running on node ${job.node} (no heartbeat: the agent pod's tools container)`;
}

/**
 * The job a feedback rule asks for, in scan `scanId`: on the node it names, else `fallbackNode`. A runtime
 * snapshot needs the containers to look at, which a finding alone does not name, so none is made.
 */
export function feedbackJob(scanId: string, asked: FeedbackJob, fallbackNode?: string): Job | undefined {
  const node = asked.node ?? fallbackNode;
  if (!node) return undefined;
  const base = { v: PROTOCOL_VERSION, scanId, node } as const;
  if (asked.kind === 'host') return { ...base, kind: 'host', jobId: jobIdFor('host', node) };
  if (asked.kind !== 'image' || !asked.image) return undefined;
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(asked.image)?.[1];
  return {
    ...base,
    kind: 'image',
    jobId: jobIdFor('image', node, digest ?? asked.image),
    image: asked.image,
    ...(digest ? { digest } : {}),
  };
}

/**
 * One host job and one runtime snapshot per node the app runs on, one image job per distinct image; a
 * tools job per node with the node tools asked for (`tools`, or by name), one per distinct image with the
 * image tools (for the tools runner of a node running it), and one for the seco-tools Deployment with the
 * service tools and the app's Services (`services`, from service-targets.ts).
 */
export function planJobs(
  record: ScanRecord,
  pods: readonly KubeObject[],
  now: number,
  services: readonly ServiceToolTarget[] = [],
): PlannedJob[] {
  const wanted = new Set(record.scanners);
  const planned: Array<Omit<PlannedJob, 'record'>> = [];
  const base = { v: PROTOCOL_VERSION, scanId: record.scanId } as const;
  if (wanted.has('host'))
    for (const node of nodesOf(pods)) {
      const jobId = jobIdFor('host', node);
      planned.push({
        jobId,
        job: { ...base, kind: 'host', jobId, node },
      });
    }
  const imageTools = toolsWanted(record.scanners, 'image');
  for (const image of runningImages(pods)) {
    const node = image.nodes[0];
    if (!node) continue;
    const pull = {
      image: image.image,
      ...(image.digest ? { digest: image.digest } : {}),
      ...(image.pullSecrets.length > 0 ? { pullSecrets: image.pullSecrets.slice(0, 16) } : {}),
    };
    const what = image.digest ?? image.image;
    if (wanted.has('image')) {
      const jobId = jobIdFor('image', node, what);
      planned.push({ jobId, job: { ...base, kind: 'image', jobId, node, ...pull } });
    }
    // The file scanners on the image, by the tools runner of a node that runs it (it pulls as the agent does).
    if (imageTools.length > 0) {
      const jobId = jobIdFor('tools', node, what);
      planned.push({ jobId, job: { ...base, kind: 'tools', jobId, node, tools: imageTools, ...pull } });
    }
  }
  const hostTools = toolsWanted(record.scanners, 'host');
  if (hostTools.length > 0)
    for (const node of nodesOf(pods)) {
      const jobId = jobIdFor('tools', node);
      planned.push({ jobId, job: { ...base, kind: 'tools', jobId, node, tools: hostTools } });
    }
  const serviceTools = toolsWanted(record.scanners, 'service');
  if (serviceTools.length > 0 && services.length > 0) {
    const node = SERVICE_TOOLS_NODE;
    const jobId = jobIdFor('tools', node);
    const job: Job = {
      ...base,
      kind: 'tools',
      jobId,
      node,
      tools: serviceTools,
      services: services.slice(0, 64),
    };
    planned.push({ jobId, job });
  }
  if (wanted.has('runtime'))
    for (const { node, containers } of containersByNode(pods)) {
      if (containers.length === 0) continue;
      const jobId = jobIdFor('runtime', node);
      planned.push({
        jobId,
        job: { ...base, kind: 'runtime', jobId, node, containers: containers.slice(0, 1000) },
      });
    }
  return planned.map((p) => ({ ...p, record: jobRecord(p.job, now) }));
}
