import { type PodTemplate, podTemplateOf } from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { PodSecurityLevel } from '../../model/index.js';
import type { Inventory, PodCheck, PssLevel, Violation } from '../check.js';
import { appArmor } from './apparmor.js';
import { capabilitiesBaseline } from './capabilities-baseline.js';
import { capabilitiesRestricted } from './capabilities-restricted.js';
import { cgroupOptions } from './cgroup-options.js';
import { hostNamespaces } from './host-namespaces.js';
import { hostPathVolumes } from './host-path-volumes.js';
import { hostPorts } from './host-ports.js';
import { hostProbes } from './host-probes.js';
import { hostProcess } from './host-process.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { privileged } from './privileged.js';
import { procMountBaseline, procMountRestricted } from './proc-mount.js';
import { restrictedVolumes } from './restricted-volumes.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUser } from './run-as-user.js';
import { seccompBaseline, seccompRestricted } from './seccomp.js';
import { seLinux } from './selinux.js';
import { sysctls } from './sysctls.js';
import { ulimits } from './ulimits.js';

/** Every Pod Security Standards control of the latest policy version: baseline, then restricted. */
export const PSS_CHECKS: readonly PodCheck[] = [
  hostProcess,
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  hostProbes,
  appArmor,
  seLinux,
  procMountBaseline,
  seccompBaseline,
  sysctls,
  ulimits,
  restrictedVolumes,
  privilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompRestricted,
  capabilitiesRestricted,
  procMountRestricted,
  cgroupOptions,
];

/** The highest level met: any baseline failure → privileged; else any restricted failure → baseline. */
export function podSecurityLevel(failed: Iterable<{ level: PssLevel }>): PodSecurityLevel {
  let level: PodSecurityLevel = 'restricted';
  for (const f of failed) {
    if (f.level === 'baseline') return 'privileged';
    level = 'baseline';
  }
  return level;
}

export interface PodSecurityEvaluation {
  level: PodSecurityLevel;
  violations: Array<{ check: PodCheck; violation: Violation }>;
  /** The pod template evaluated; undefined for objects without one, which have no violations. */
  pod: PodTemplate | undefined;
}

const NO_INVENTORY: Inventory = { objects: [], ofKind: () => [] };

/**
 * Evaluates one object's pod template against every control. An object without a pod template (a Service, or a
 * workload whose template is missing or malformed) has nothing to violate: level restricted, `pod` undefined.
 */
export function evaluatePodSecurity(object: KubeObject): PodSecurityEvaluation {
  const pod = podTemplateOf(object);
  if (!pod) return { level: 'restricted', violations: [], pod };
  const violations = PSS_CHECKS.flatMap((check) =>
    check.evaluate(pod, object, NO_INVENTORY).map((violation) => ({ check, violation })),
  );
  return { level: podSecurityLevel(violations.map((v) => v.check.pss!)), violations, pod };
}
