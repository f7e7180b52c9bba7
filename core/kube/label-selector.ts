import type { KubeObject } from './types.js';

export interface LabelSelector {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: Array<{ key?: unknown; operator?: unknown; values?: unknown }>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * metav1.LabelSelector semantics: every matchLabels pair and every expression must hold; an empty
 * selector matches everything. A malformed selector matches nothing rather than everything, so a
 * broken policy never looks like coverage it does not give.
 */
export function selectorMatches(selector: unknown, labels: Record<string, unknown> | undefined): boolean {
  if (!isRecord(selector)) return false;
  const have = labels ?? {};
  const matchLabels = selector.matchLabels ?? {};
  if (!isRecord(matchLabels)) return false;
  for (const [key, value] of Object.entries(matchLabels)) if (have[key] !== value) return false;
  const expressions = selector.matchExpressions ?? [];
  if (!Array.isArray(expressions)) return false;
  return expressions.every((e) => isRecord(e) && expressionHolds(e, have));
}

function expressionHolds(e: Record<string, unknown>, labels: Record<string, unknown>): boolean {
  if (typeof e.key !== 'string') return false;
  const present = Object.hasOwn(labels, e.key);
  const values = Array.isArray(e.values) ? e.values : [];
  switch (e.operator) {
    case 'In':
      return present && values.includes(labels[e.key]);
    case 'NotIn':
      return !present || !values.includes(labels[e.key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

export function labelsOf(object: KubeObject | { metadata?: { labels?: unknown } }): Record<string, unknown> {
  const labels = object.metadata?.labels;
  return isRecord(labels) ? labels : {};
}
