import { badRequest } from './status.js';

/**
 * Label and field selectors as the API server parses them (k8s.io/apimachinery/pkg/labels and
 * pkg/fields). A malformed selector is a 400 BadRequest naming the selector, never a crash.
 */
export type Matcher = (object: Record<string, unknown>) => boolean;

interface LabelRequirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

// Label keys: optional DNS-subdomain prefix and a name (labels.validateLabelKey).
const KEY = '(?:[a-zA-Z0-9.-]+/)?[a-zA-Z0-9](?:[-a-zA-Z0-9_.]*[a-zA-Z0-9])?';
const VALUE = '(?:[a-zA-Z0-9](?:[-a-zA-Z0-9_.]*[a-zA-Z0-9])?)?';
const FORMS: Array<[RegExp, (m: RegExpExecArray) => LabelRequirement]> = [
  [new RegExp(`^!\\s*(${KEY})$`), (m) => ({ key: m[1]!, op: '!', values: [] })],
  [new RegExp(`^(${KEY})\\s*(==|=)\\s*(${VALUE})$`), (m) => ({ key: m[1]!, op: 'in', values: [m[3]!] })],
  [new RegExp(`^(${KEY})\\s*!=\\s*(${VALUE})$`), (m) => ({ key: m[1]!, op: 'notin', values: [m[2]!] })],
  [
    new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`),
    (m) => ({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) }),
  ],
  [
    new RegExp(`^(${KEY})\\s*(>|<)\\s*(-?\\d+)$`),
    (m) => ({ key: m[1]!, op: m[2] === '>' ? 'gt' : 'lt', values: [m[3]!] }),
  ],
  [new RegExp(`^(${KEY})$`), (m) => ({ key: m[1]!, op: 'exists', values: [] })],
];

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function parseLabelRequirement(part: string, whole: string): LabelRequirement {
  for (const [regex, build] of FORMS) {
    const m = regex.exec(part);
    if (m) return build(m);
  }
  throw badRequest(
    `unable to parse requirement: invalid label selector ${JSON.stringify(whole)} at ${JSON.stringify(part)}`,
  );
}

function matchesLabel(req: LabelRequirement, labels: Record<string, unknown>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = has ? String(labels[req.key]) : undefined;
  switch (req.op) {
    case 'in':
      return has && req.values.includes(value!);
    case 'notin':
      return !has || !req.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const n = Number(value);
      if (!has || !Number.isInteger(n)) return false;
      return req.op === 'gt' ? n > Number(req.values[0]) : n < Number(req.values[0]);
    }
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function parseLabelSelector(text: string | null): Matcher {
  if (!text || text.trim() === '') return () => true;
  const requirements = splitTopLevel(text).map((part) => parseLabelRequirement(part, text));
  return (object) => {
    const labels = record(record(object.metadata).labels);
    return requirements.every((req) => matchesLabel(req, labels));
  };
}

// Field labels each kind supports (the per-resource GetAttrs / AddFieldLabelConversionFunc lists).
const FIELD_LABELS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

function fieldValue(object: Record<string, unknown>, path: string): string {
  let current: unknown = object;
  for (const part of path.split('.')) current = record(current)[part];
  if (path === 'source' && current !== undefined) current = record(current).component;
  if (current === undefined || current === null) return path === 'spec.hostNetwork' ? 'false' : '';
  return String(current);
}

/** Parses `fieldSelector`; `kind` picks which field labels are accepted (others are a 400, as upstream). */
export function parseFieldSelector(text: string | null, kind: string): Matcher {
  if (!text || text.trim() === '') return () => true;
  const allowed = ['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[kind] ?? [])];
  const terms = text.split(',').map((part) => {
    const m = /^\s*([\w.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    if (!allowed.includes(m[1]!)) {
      throw badRequest(`field label not supported: ${m[1]}`);
    }
    return { path: m[1]!, negate: m[2] === '!=', value: m[3]! };
  });
  return (object) => terms.every((t) => (fieldValue(object, t.path) === t.value) !== t.negate);
}
