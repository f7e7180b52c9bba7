import type { PodCheck } from '../check.js';
import { podSpecNode } from '../violation-paths.js';
import { cis, mitre, nsa } from './references.js';

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

export const serviceAccountTokenAutomount: PodCheck = {
  id: 'service-account-token-automount',
  title: 'Service account token is mounted automatically',
  severity: 'medium',
  description:
    "Every container gets an API token it rarely needs; whoever gets into the container can use it against the API server. The pod's automountServiceAccountToken wins; only when it is unset does the ServiceAccount's own field decide, and that is read when the ServiceAccount is in the input (otherwise the token is mounted, the Kubernetes default).",
  remediation:
    'Set automountServiceAccountToken: false on the pod (or on its ServiceAccount) unless it calls the Kubernetes API.',
  references: [cis('5.1.6'), nsa('Pod security: service account tokens'), mitre('T1528')],
  target: 'pod',
  evaluate(pod, object, inventory) {
    const podSetting = pod.spec.automountServiceAccountToken;
    if (podSetting === false) return [];
    // serviceAccount is the deprecated alias of serviceAccountName; unset means "default".
    const saName = nonEmpty(pod.spec.serviceAccountName)
      ? pod.spec.serviceAccountName
      : nonEmpty(pod.spec.serviceAccount)
        ? pod.spec.serviceAccount
        : 'default';
    const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
    const account = inventory.ofKind('ServiceAccount', namespace).find((sa) => sa.metadata?.name === saName);
    if (podSetting !== true && account?.automountServiceAccountToken === false) return [];
    const evidence =
      podSetting === true
        ? 'automountServiceAccountToken is true'
        : `automountServiceAccountToken is unset and ServiceAccount ${JSON.stringify(saName)} ${account ? 'does not disable it' : 'is not in the input (the default mounts the token)'}`;
    return [{ path: podSpecNode(pod).child('automountServiceAccountToken').path, evidence }];
  },
};
