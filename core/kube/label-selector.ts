import type { KubeObject } from './types.js';
import { isRecord } from './types.js';

/** metav1.LabelSelector as it appears in manifests; fields unknown until validated. */
export interface LabelSelector {
  matchLabels?: Record<string, unknown>;
  matchExpressions?: Array<{ key?: unknown; operator?: unknown; values?: unknown }>;
}

// apimachinery validation.IsQualifiedName / IsValidLabelValue: a name part of at most 63
// alphanumerics, '-', '_' or '.', beginning and ending alphanumeric; keys may carry a DNS-1123 prefix.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return false;
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  return prefix.length > 0 && prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix);
}

export function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && NAME.test(value));
}

/**
 * What makes a selector invalid, as metav1.LabelSelectorAsSelector would refuse it: unknown operators,
 * In/NotIn without values, Exists/DoesNotExist with values, bad keys or values. Empty when valid.
 */
export function selectorProblems(selector: unknown): string[] {
  return [...problemsOf(selector)];
}

// A NetworkPolicy's selector is matched against every pod of its namespace: validate it once per scan.
// Objects are not changed while they are scanned, so the verdict on a selector object stays true.
function problemsOf(selector: unknown): readonly string[] {
  if (!isRecord(selector)) return NOT_AN_OBJECT;
  let problems = validated.get(selector);
  if (!problems) {
    problems = validate(selector);
    validated.set(selector, problems);
  }
  return problems;
}

const NOT_AN_OBJECT: readonly string[] = ['selector is not an object'];

const validated = new WeakMap<object, readonly string[]>();

function validate(selector: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { matchLabels = {}, matchExpressions = [] } = selector;
  if (!isRecord(matchLabels)) problems.push('matchLabels is not a map');
  else
    for (const [key, value] of Object.entries(matchLabels)) {
      if (!isLabelKey(key)) problems.push(`matchLabels key ${JSON.stringify(key)} is not a valid label key`);
      if (typeof value !== 'string' || !isLabelValue(value))
        problems.push(`matchLabels[${JSON.stringify(key)}] is not a valid label value`);
    }
  if (!Array.isArray(matchExpressions)) problems.push('matchExpressions is not a list');
  else
    matchExpressions.forEach((e, i) => {
      for (const problem of expressionProblems(e, i)) problems.push(problem);
    });
  return problems;
}

function expressionProblems(e: unknown, i: number): string[] {
  const where = `matchExpressions[${i}]`;
  if (!isRecord(e)) return [`${where} is not an object`];
  const problems: string[] = [];
  if (typeof e.key !== 'string' || !isLabelKey(e.key)) problems.push(`${where}.key is not a valid label key`);
  const values = e.values ?? [];
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || !isLabelValue(v)))
    return [...problems, `${where}.values must be a list of valid label values`];
  switch (e.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) problems.push(`${where}: operator ${e.operator} needs at least one value`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) problems.push(`${where}: operator ${e.operator} takes no values`);
      break;
    default:
      problems.push(
        `${where}.operator ${JSON.stringify(e.operator)} is not In, NotIn, Exists or DoesNotExist`,
      );
  }
  return problems;
}

/**
 * metav1.LabelSelector semantics: every matchLabels pair and every expression must hold; an empty
 * selector (`{}`) matches everything; a missing (nil) selector matches nothing. An invalid selector
 * matches nothing rather than everything, so a broken policy never looks like coverage it does not give.
 */
export function selectorMatches(selector: unknown, labels: Record<string, unknown> | undefined): boolean {
  if (problemsOf(selector).length > 0) return false;
  const { matchLabels = {}, matchExpressions = [] } = selector as LabelSelector;
  // Looked up label by label, not copied into a map first: this runs for every pod and every policy.
  const have = isRecord(labels) ? labels : NO_LABELS;
  for (const key in matchLabels)
    if (Object.hasOwn(matchLabels, key) && labelValue(have, key) !== matchLabels[key]) return false;
  for (const e of matchExpressions) if (!expressionHolds(e as Requirement, have)) return false;
  return true;
}

const NO_LABELS: Record<string, unknown> = {};

/**
 * The label pairs a selector requires when it is valid and nothing but matchLabels with at least one
 * pair: such a selector matches exactly the labels holding every pair, so a caller can index it by one
 * of them (a NetworkPolicy's `podSelector: {matchLabels: {app: x}}`). Undefined for anything else
 * (expressions, the empty selector that matches everything, an invalid one that matches nothing).
 */
export function requiredLabels(selector: unknown): ReadonlyArray<readonly [string, string]> | undefined {
  if (problemsOf(selector).length > 0) return undefined;
  const { matchLabels = {}, matchExpressions = [] } = selector as LabelSelector;
  if (matchExpressions.length > 0) return undefined;
  const pairs: Array<readonly [string, string]> = [];
  // Valid (problemsOf): every value is a string.
  for (const key in matchLabels)
    if (Object.hasOwn(matchLabels, key)) pairs.push([key, matchLabels[key] as string]);
  return pairs.length > 0 ? pairs : undefined;
}

/** Whether `labels` holds every pair: selectorMatches for a selector requiredLabels() read. */
export function hasLabels(
  labels: Record<string, unknown> | undefined,
  pairs: ReadonlyArray<readonly [string, string]>,
): boolean {
  const have = isRecord(labels) ? labels : NO_LABELS;
  for (const [key, value] of pairs) if (labelValue(have, key) !== value) return false;
  return true;
}

interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

// labels.Requirement.Matches: NotIn and DoesNotExist hold for a missing key.
function expressionHolds(e: Requirement, labels: Record<string, unknown>): boolean {
  const value = labelValue(labels, e.key);
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

// Labels are map[string]string: a non-string value cannot be a label, so it is not one; only own
// keys are labels (not `constructor` from the prototype).
export function labelValue(labels: Record<string, unknown>, key: string): string | undefined {
  if (!Object.hasOwn(labels, key)) return undefined;
  const value = labels[key];
  return typeof value === 'string' ? value : undefined;
}

export function labelsOf(object: KubeObject | { metadata?: { labels?: unknown } }): Record<string, unknown> {
  const labels = isRecord(object) ? (object.metadata as { labels?: unknown } | undefined)?.labels : undefined;
  return isRecord(labels) ? labels : {};
}
