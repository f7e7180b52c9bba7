import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import type { EnvVar, KubeObject } from '../../core/kube/types.js';

/**
 * Sets one environment variable on every seco container that already reads it — of one component's
 * workloads (`app.kubernetes.io/name`) when `component` is given; `undefined` removes it. Variables a
 * container does not read are never added: the manifests say what each component reads.
 */
export function setContainerEnv(
  objects: readonly KubeObject[],
  name: string,
  value: Omit<EnvVar, 'name'> | undefined,
  component?: string,
): void {
  for (const object of objects) {
    if (component && object.metadata?.labels?.['app.kubernetes.io/name'] !== component) continue;
    const template = podTemplateOf(object);
    if (!template) continue;
    for (const { container } of containersOf(template.spec)) {
      const env = container.env ?? [];
      const index = env.findIndex((e) => e.name === name);
      if (index < 0) continue;
      if (value === undefined) env.splice(index, 1);
      else env[index] = { name, ...value };
    }
  }
}
