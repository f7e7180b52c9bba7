import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { Reference, Severity } from '../../model/index.js';
import { type Inventory, NO_VIOLATIONS, type PodCheck, type Violation } from '../check.js';
import { JoinedStrings } from '../string-pool.js';
import { containerNode } from '../violation-paths.js';

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
    object: KubeObject,
  ): { path: ReadonlyArray<string | number>; evidence: string } | undefined;
}

// `container "web": no resources.limits.cpu`: a few container names and problems, repeated for
// every pod of a large input.
const evidenceTexts = new JoinedStrings(': ');

/** A check run once per container, each problem reported against its container. */
export function containerCheck(def: ContainerCheckDefinition): PodCheck {
  const { applies, problem, ...meta } = def;
  return {
    ...meta,
    target: 'pod',
    evaluate(pod, object, inventory) {
      let violations: Violation[] | undefined;
      for (const entry of podContainers(pod)) {
        if (applies && !applies(entry, pod, object)) continue;
        const found = problem(entry, pod, inventory, object);
        if (!found) continue;
        const name = entry.container.name;
        const violation: Violation = {
          path: containerNode(pod, entry).below(found.path).path,
          evidence: evidenceTexts.join(describeContainer(entry), found.evidence),
        };
        if (typeof name === 'string') violation.container = name;
        if (violations) violations.push(violation);
        else violations = [violation];
      }
      return violations ?? NO_VIOLATIONS;
    },
  };
}

/** Regular containers only: init and ephemeral containers are short-lived and not served traffic. */
export const regularContainers = (entry: ContainerEntry) => entry.field === 'containers';
