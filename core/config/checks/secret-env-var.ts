import { isRecord } from '../../kube/types.js';
import { containerCheck } from './container-check.js';
import { cis } from './references.js';

/** The Secrets a container takes into its environment: `env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`. */
function secretsInEnv(container: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const variable of Array.isArray(container.env) ? container.env : []) {
    const ref =
      isRecord(variable) && isRecord(variable.valueFrom) ? variable.valueFrom.secretKeyRef : undefined;
    if (isRecord(ref)) names.push(`${String(variable.name)} from secret ${String(ref.name)}`);
  }
  for (const source of Array.isArray(container.envFrom) ? container.envFrom : []) {
    if (isRecord(source) && isRecord(source.secretRef))
      names.push(`every key of secret ${String(source.secretRef.name)}`);
  }
  return names;
}

export const secretEnvVar = containerCheck({
  id: 'secret-env-var',
  title: 'Secret consumed as environment variables',
  severity: 'low',
  description:
    'Environment variables are inherited by every child process, printed by crash handlers and debug endpoints, and visible in /proc/<pid>/environ to anything sharing the process namespace; they cannot be rotated without a restart. CIS 5.4.1 prefers Secrets mounted as files. One finding per container, listing what it takes.',
  remediation:
    'Mount the Secret as a volume (secret or projected) and read the file; set defaultMode to 0400 where the app allows.',
  references: [cis('5.4.1')],
  problem(entry) {
    const names = secretsInEnv(entry.container as Record<string, unknown>);
    if (names.length === 0) return undefined;
    return { path: ['env'], evidence: `takes ${names.join(', ')}` };
  },
});
