import { isRecord, type KubeObject } from '../../core/kube/types.js';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/**
 * What the DaemonSet controller adds to every daemon pod (pkg/controller/daemon/util
 * AddOrUpdateDaemonPodTolerations): a node that is not ready, unreachable, under pressure or
 * unschedulable still gets its daemon pod, so these taints never explain a missing agent.
 */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

const strings = (value: unknown): Record<string, string> =>
  isRecord(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

function taintsOf(node: KubeObject): Taint[] {
  const spec = isRecord(node.spec) ? node.spec : {};
  return (Array.isArray(spec.taints) ? spec.taints : []).filter(
    (t): t is Taint => isRecord(t) && typeof t.key === 'string' && typeof t.effect === 'string',
  );
}

/** core/v1 Toleration.ToleratesTaint: an empty key with Exists matches every key, an empty effect every effect. */
function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

const describeTaint = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

/** The pod template of a DaemonSet: its node selector and tolerations. */
function templateSpec(daemonSet: KubeObject): Record<string, unknown> {
  const spec = isRecord(daemonSet.spec) ? daemonSet.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  return isRecord(template.spec) ? template.spec : {};
}

/**
 * Why the DaemonSet would not place a pod on `node`, as the scheduler's predicates would say it:
 * NoSchedule/NoExecute taints its tolerations do not cover, and node-selector labels the node lacks.
 * Empty when the node is eligible.
 */
export function ineligibility(daemonSet: KubeObject, node: KubeObject): string[] {
  const spec = templateSpec(daemonSet);
  const tolerations = [
    ...(Array.isArray(spec.tolerations) ? spec.tolerations.filter(isRecord) : []),
    ...DAEMON_TOLERATIONS,
  ] as Toleration[];
  const reasons: string[] = [];
  const untolerated = taintsOf(node).filter(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((toleration) => tolerates(toleration, taint)),
  );
  if (untolerated.length > 0)
    reasons.push(`taint ${untolerated.map(describeTaint).join(', ')} not tolerated by the DaemonSet`);
  const labels = strings(node.metadata?.labels);
  const missing = Object.entries(strings(spec.nodeSelector)).filter(([key, value]) => labels[key] !== value);
  if (missing.length > 0)
    reasons.push(
      `node selector ${missing.map(([k, v]) => `${k}=${v}`).join(', ')} not matched by the node's labels`,
    );
  return reasons;
}

/** The node's Ready condition when it is not True: `NotReady (KubeletNotReady: …)`. */
export function nodeNotReady(node: KubeObject): string | undefined {
  const status = isRecord(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  if (!ready) return 'node NotReady (no Ready condition reported by its kubelet)';
  const why = [ready.reason, ready.message].filter((s) => typeof s === 'string' && s).join(': ');
  return `node NotReady${why ? ` (${why})` : ''}`;
}
