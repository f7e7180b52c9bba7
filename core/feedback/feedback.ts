import type { Finding } from '../model/index.js';
import type { FeedbackRule } from './feedback-rules.js';

/** A job the feedback rules ask for, and the rule that asked. */
export interface FeedbackJob {
  kind: 'image' | 'host' | 'runtime';
  node?: string;
  image?: string;
  rule: string;
}

export interface ClusterEvent {
  type: string;
  node?: string;
  image?: string;
  [key: string]: unknown;
}

function jobsFor(rule: FeedbackRule, node: string | undefined, image: string | undefined): FeedbackJob[] {
  return rule.actions.flatMap((action): FeedbackJob[] => {
    if (action.job === 'image')
      return image ? [{ kind: 'image', image, ...(node ? { node } : {}), rule: rule.id }] : [];
    return node ? [{ kind: action.job, node, rule: rule.id }] : [];
  });
}

/** Jobs the rules queue for a finding; duplicates (same kind, node, image) are asked once. */
export function feedbackForFinding(rules: readonly FeedbackRule[], finding: Finding): FeedbackJob[] {
  const jobs = rules
    .filter((r) => r.on === 'finding' && r.matches(finding as unknown as Record<string, unknown>))
    .flatMap((r) => jobsFor(r, finding.resource.node, finding.resource.image));
  return unique(jobs);
}

export function feedbackForEvent(rules: readonly FeedbackRule[], event: ClusterEvent): FeedbackJob[] {
  return unique(
    rules
      .filter((r) => r.on === 'event' && r.matches(event))
      .flatMap((r) => jobsFor(r, event.node, event.image)),
  );
}

function unique(jobs: FeedbackJob[]): FeedbackJob[] {
  const seen = new Set<string>();
  return jobs.filter((j) => {
    const key = `${j.kind}|${j.node ?? ''}|${j.image ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
