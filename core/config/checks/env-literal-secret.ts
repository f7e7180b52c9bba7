import { containersOf, describeContainer } from '../../kube/pod-template.js';
import { findSecrets, isPlaceholder, maskSecret } from '../../mask/mask.js';
import { isSecretName } from '../../mask/secret-name.js';
import type { PodCheck, Violation } from '../check.js';
import { mitre, nsa } from './references.js';

// `$(OTHER_VAR)` expands another variable at container start (core/v1 EnvVar.value): what is left
// once references are removed is the literal part of the value.
const REFERENCE = /\$\([A-Za-z_][\w.-]*\)/g;

// A value that points at the secret (GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json, a vault URL)
// rather than being it; a URL that does embed a password is caught by its shape above.
const POINTER = /^(?:\/[\w.@+-]+(?:\/[\w.@+-]+)+|[a-z][a-z0-9+.-]*:\/\/\S+)$/i;

/** Why the env var holds a literal secret, or undefined. */
function literalSecret(name: unknown, value: string): string | undefined {
  const literal = value.replace(REFERENCE, '');
  if (isPlaceholder(literal)) return undefined;
  const byShape = findSecrets(value)[0];
  if (byShape) return `looks like a ${byShape.description}`;
  if (POINTER.test(literal.trim())) return undefined;
  return typeof name === 'string' && isSecretName(name) ? 'its name says it is a credential' : undefined;
}

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
    for (const entry of containersOf(pod.spec)) {
      const env = Array.isArray(entry.container.env) ? entry.container.env : [];
      env.forEach((variable, index) => {
        if (typeof variable !== 'object' || variable === null) return;
        const { name, value } = variable as { name?: unknown; value?: unknown };
        if (typeof value !== 'string') return;
        const why = literalSecret(name, value);
        if (!why) return;
        const container = entry.container.name;
        violations.push({
          path: [...pod.specPath, entry.field, entry.index, 'env', index, 'value'],
          evidence: `${describeContainer(entry)}: env ${JSON.stringify(String(name))}=${JSON.stringify(maskSecret(value))} (${why})`,
          ...(typeof container === 'string' ? { container } : {}),
        });
      });
    }
    return violations;
  },
};
