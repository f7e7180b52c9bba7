import { containersOf, describeContainer } from '../../kube/pod-template.js';
import { findSecrets, maskSecret } from '../../mask/mask.js';
import { SECRET_NAME } from '../../mask/secret-patterns.js';
import type { PodCheck, Violation } from '../check.js';
import { mitre, nsa } from './container-check.js';

// `$(OTHER_VAR)` expands another variable at start-up: a reference, not a literal secret.
const REFERENCE_ONLY = /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/;

export const envLiteralSecret: PodCheck = {
  id: 'env-literal-secret',
  title: 'Secret passed as a literal environment value',
  severity: 'high',
  description:
    'A credential written into the manifest is readable by everyone who can read the workload, its Git history and its ReplicaSets.',
  remediation: 'Move the value into a Secret and use env[].valueFrom.secretKeyRef (or envFrom.secretRef).',
  references: [nsa('Secrets'), mitre('T1552.007')],
  target: 'pod',
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const entry of containersOf(pod.spec)) {
      const env = Array.isArray(entry.container.env) ? entry.container.env : [];
      env.forEach((variable, index) => {
        if (typeof variable !== 'object' || variable === null) return;
        const { name, value } = variable as { name?: unknown; value?: unknown };
        if (typeof value !== 'string' || value === '' || REFERENCE_ONLY.test(value)) return;
        const byName = typeof name === 'string' && SECRET_NAME.test(name);
        const byShape = findSecrets(value)[0];
        if (!byName && !byShape) return;
        const why = byShape ? `looks like a ${byShape.description}` : 'its name says it is a credential';
        const container = entry.container.name;
        violations.push({
          path: [...pod.specPath, entry.field, entry.index, 'env', index, 'value'],
          evidence: `${describeContainer(entry)}: env ${String(name)}=${JSON.stringify(maskSecret(value))} (${why})`,
          ...(typeof container === 'string' ? { container } : {}),
        });
      });
    }
    return violations;
  },
};
