import type { PodCheck } from '../check.js';
import { cis, mitre, nsa } from './container-check.js';

export const serviceAccountTokenAutomount: PodCheck = {
  id: 'service-account-token-automount',
  title: 'Service account token is mounted automatically',
  severity: 'medium',
  description:
    'Every container gets an API token it rarely needs; whoever gets into the container can use it against the API server.',
  remediation:
    'Set automountServiceAccountToken: false on the pod (or on its ServiceAccount) unless it calls the Kubernetes API.',
  references: [cis('5.1.6'), nsa('Pod security / service account tokens'), mitre('T1528')],
  target: 'pod',
  evaluate(pod, object, inventory) {
    const podSetting = pod.spec.automountServiceAccountToken;
    if (podSetting === false) return [];
    // The pod's own field wins; only when it is unset does the ServiceAccount's decide (Kubernetes semantics).
    const saName =
      typeof pod.spec.serviceAccountName === 'string' && pod.spec.serviceAccountName !== ''
        ? pod.spec.serviceAccountName
        : 'default';
    const namespace = object.metadata?.namespace ?? '';
    const account = inventory.ofKind('ServiceAccount', namespace).find((sa) => sa.metadata?.name === saName);
    if (podSetting === undefined && account?.automountServiceAccountToken === false) return [];
    const evidence =
      podSetting === true
        ? 'automountServiceAccountToken is true'
        : `automountServiceAccountToken is unset and ServiceAccount ${JSON.stringify(saName)} ${account ? 'does not disable it' : 'is not in the input (its default mounts the token)'}`;
    return [{ path: [...pod.specPath, 'automountServiceAccountToken'], evidence }];
  },
};
