import type { KubeObject } from '../kube/types.js';
import type { Suppression } from '../model/index.js';
import type { IgnoreRule } from './ignore-file.js';

/** `ignore.seco.dev/<check-id>: <reason>` on an object (or its pod template) suppresses that check there. */
export const IGNORE_ANNOTATION_PREFIX = 'ignore.seco.dev/';

export interface SuppressionTarget {
  checkId: string;
  object: KubeObject;
  /** The pod template's annotations, for checks on a workload's pods. */
  podAnnotations?: Record<string, unknown>;
}

/** Decides whether a finding is suppressed, by annotation first, then by the ignore file. */
export class Suppressor {
  private readonly rules: IgnoreRule[];

  constructor(rules: readonly IgnoreRule[], now: Date) {
    this.rules = rules.filter((rule) => !isExpired(rule, now));
  }

  /** Rules that have expired: the caller reports them so they are not forgotten. */
  static expired(rules: readonly IgnoreRule[], now: Date): IgnoreRule[] {
    return rules.filter((rule) => isExpired(rule, now));
  }

  /**
   * Whether anything could suppress a finding on `object`: an ignore rule, or an `ignore.seco.dev/`
   * annotation on it or its pod template. When not, suppression() is undefined for every check there,
   * and a scan asks once per object rather than once per finding.
   */
  mayApply(object: KubeObject, podAnnotations?: Record<string, unknown>): boolean {
    return (
      this.rules.length > 0 ||
      hasIgnoreAnnotation(object.metadata?.annotations) ||
      hasIgnoreAnnotation(podAnnotations)
    );
  }

  suppression(target: SuppressionTarget): Suppression | undefined {
    const objectAnnotations = target.object.metadata?.annotations;
    if (objectAnnotations || target.podAnnotations) {
      const key = IGNORE_ANNOTATION_PREFIX + target.checkId;
      const annotated =
        annotationSuppression(objectAnnotations, key) ?? annotationSuppression(target.podAnnotations, key);
      if (annotated) return annotated;
    }
    if (this.rules.length === 0) return undefined;
    const rule = this.rules.find(
      (r) => r.id === target.checkId && matchesResource(r.resource, target.object),
    );
    return rule ? { source: 'ignore-file', reason: rule.reason } : undefined;
  }
}

// Every key `in` sees (annotationSuppression), inherited enumerable ones too.
function hasIgnoreAnnotation(annotations: unknown): boolean {
  if (!annotations || typeof annotations !== 'object') return false;
  for (const key in annotations) if (key.startsWith(IGNORE_ANNOTATION_PREFIX)) return true;
  return false;
}

function annotationSuppression(annotations: unknown, key: string): Suppression | undefined {
  if (!annotations || typeof annotations !== 'object' || !(key in annotations)) return undefined;
  const reason = String((annotations as Record<string, unknown>)[key] ?? '').trim();
  return { source: 'annotation', reason: reason || 'no reason given' };
}

function isExpired(rule: IgnoreRule, now: Date): boolean {
  if (rule.expires === undefined) return false;
  const end = typeof rule.expires === 'string' ? new Date(`${rule.expires}T23:59:59Z`) : rule.expires;
  return end.getTime() < now.getTime();
}

function matchesResource(pattern: string | undefined, object: KubeObject): boolean {
  if (pattern === undefined) return true;
  const segments = pattern.split('/');
  const [ns, kind, name] = segments.length === 2 ? ['', ...segments] : segments;
  const actual = [object.metadata?.namespace ?? '', object.kind ?? '', object.metadata?.name ?? ''];
  return [ns, kind, name].every((want, i) => want === '*' || want === actual[i]);
}
