import type { AggregatorStatus } from '../../core/protocol/index.js';
import type { AgentNode, ComponentStatus, Health } from './status-report.js';

/** Exit codes of `kubectl seco status`. */
export const STATUS_EXIT: Record<Health, number> = {
  healthy: 0,
  degraded: 1,
  'not-installed': 2,
  unreachable: 2,
};

export interface VerdictInput {
  components: readonly ComponentStatus[];
  perNode: readonly AgentNode[];
  aggregator: { reachable: boolean; error?: string; status?: AggregatorStatus };
  /** A vuln DB older than this is stale. */
  maxVulnDbAgeSeconds: number;
}

const hours = (seconds: number) => `${(seconds / 3600).toFixed(1)} h`;

/**
 * Healthy only when every workload present has all its replicas ready, every node has a ready agent
 * with a live heartbeat, and the aggregator answers, reaches NATS and S3 and has a vuln DB younger
 * than the limit. An aggregator that does not answer at all leaves seco unusable: `unreachable`.
 * NATS or Minio not found as workloads is no problem by itself (an external NATS or S3 may be
 * configured): the aggregator's own checks of them decide.
 */
export function verdict(input: VerdictInput): { health: Health; problems: string[] } {
  const problems: string[] = [];
  for (const component of input.components) {
    if (!component.found) {
      if (component.name === 'agent')
        problems.push(`the agent DaemonSet ${component.object} is not installed`);
      continue;
    }
    if (component.ready < component.desired)
      problems.push(`${component.name}: ${component.ready} of ${component.desired} ready`);
  }
  for (const node of input.perNode) {
    if (node.agent !== 'ready' || node.reasons.length > 0)
      problems.push(
        `node ${node.node}: agent ${node.agent}${node.reasons.length ? ` — ${node.reasons.join('; ')}` : ''}`,
      );
  }
  const { reachable, error, status } = input.aggregator;
  if (!reachable || !status) {
    problems.push(`the aggregator does not answer: ${error ?? 'no status'}`);
    return { health: 'unreachable', problems };
  }
  if (!status.ready) problems.push(`aggregator replica ${status.replica} is not ready`);
  if (!status.nats.connected)
    problems.push(`the aggregator cannot reach NATS: ${status.nats.error ?? 'unknown'}`);
  if (!status.s3.reachable) problems.push(`the aggregator cannot reach S3: ${status.s3.error ?? 'unknown'}`);
  const db = status.vulnDb;
  if (status.s3.reachable && !db.present)
    problems.push(
      db.error
        ? `the vulnerability database cannot be read: ${db.error}`
        : 'no vulnerability database in the object store: images are not matched (publish one with kubectl seco db import --s3-…)',
    );
  else if (db.ageSeconds !== undefined && db.ageSeconds > input.maxVulnDbAgeSeconds)
    problems.push(
      `the vulnerability database is ${hours(db.ageSeconds)} old (limit ${hours(input.maxVulnDbAgeSeconds)}): import a fresh one`,
    );
  return { health: problems.length ? 'degraded' : 'healthy', problems };
}
