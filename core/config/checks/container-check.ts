import {
  type ContainerEntry,
  containersOf,
  describeContainer,
  type PodTemplate,
} from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { Reference, Severity } from '../../model/index.js';
import type { Inventory, PodCheck, Violation } from '../check.js';

export interface ContainerCheckDefinition {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: Reference[];
  /** Which containers the check looks at; by default all of them. */
  applies?(entry: ContainerEntry, pod: PodTemplate, object: KubeObject): boolean;
  /** The problem with this container, as a field path under the container and evidence; or undefined. */
  problem(
    entry: ContainerEntry,
    pod: PodTemplate,
    inventory: Inventory,
  ): { path: Array<string | number>; evidence: string } | undefined;
}

/** A check run once per container, each problem reported against its container. */
export function containerCheck(def: ContainerCheckDefinition): PodCheck {
  return {
    id: def.id,
    title: def.title,
    severity: def.severity,
    description: def.description,
    remediation: def.remediation,
    references: def.references,
    target: 'pod',
    evaluate(pod, object, inventory) {
      const violations: Violation[] = [];
      for (const entry of containersOf(pod.spec)) {
        if (def.applies && !def.applies(entry, pod, object)) continue;
        const found = def.problem(entry, pod, inventory);
        if (!found) continue;
        const name = entry.container.name;
        violations.push({
          path: [...pod.specPath, entry.field, entry.index, ...found.path],
          evidence: `${describeContainer(entry)}: ${found.evidence}`,
          ...(typeof name === 'string' ? { container: name } : {}),
        });
      }
      return violations;
    },
  };
}

/** Regular containers only: init and ephemeral containers are short-lived and not served traffic. */
export const regularContainers = (entry: ContainerEntry) => entry.field === 'containers';

export const NSA_GUIDE =
  'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF';
export const nsa = (section: string): Reference => ({
  kind: 'nsa',
  id: `NSA/CISA Kubernetes Hardening Guide v1.2: ${section}`,
  url: NSA_GUIDE,
});
export const cis = (id: string): Reference => ({
  kind: 'cis',
  id,
  url: 'https://www.cisecurity.org/benchmark/kubernetes',
});
export const mitre = (id: string): Reference => ({
  kind: 'mitre',
  id,
  url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
});
