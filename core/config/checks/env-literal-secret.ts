import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { PodCheck, Violation } from '../check.js';
import { containerNode } from '../violation-paths.js';
import { literalSecret } from './literal-secret.js';
import { mitre, nsa } from './references.js';

export const envLiteralSecret: PodCheck = {
  id: 'env-literal-secret',
  title: 'Secret passed as a literal environment value',
  severity: 'high',
  description:
    'A credential written into the manifest is readable by everyone who can read the workload, its ReplicaSets and its Git history, and it cannot be rotated without a redeploy. Flagged when the value has the shape of a known credential (AWS, GitHub, Slack, JWT, PEM key…) or the variable is named like one (PASSWORD, SECRET, TOKEN, API_KEY…, not *_FILE/*_URL/*_NAME pointers); references such as $(VAR) and placeholders are not. The value is masked in the evidence.',
  remediation: 'Move the value into a Secret and use env[].valueFrom.secretKeyRef (or envFrom.secretRef).',
  references: [nsa('Pod security: secrets'), mitre('T1552.007')],
  target: 'pod',
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const entry of podContainers(pod)) {
      const env = Array.isArray(entry.container.env) ? entry.container.env : [];
      env.forEach((variable, index) => {
        if (typeof variable !== 'object' || variable === null) return;
        const { name, value } = variable as { name?: unknown; value?: unknown };
        if (typeof value !== 'string') return;
        const found = literalSecret(name, value);
        if (!found) return;
        const container = entry.container.name;
        const violation: Violation = {
          path: containerNode(pod, entry).child('env').child(index).child('value').path,
          evidence: `${describeContainer(entry)}: env ${JSON.stringify(String(name))}=${JSON.stringify(found.masked)} (${found.why})`,
        };
        if (typeof container === 'string') violation.container = container;
        violations.push(violation);
      });
    }
    return violations;
  },
};
