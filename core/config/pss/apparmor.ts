import { containersOf, describeContainer } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, podViolation, pssCheck, recordAt, show } from './pss-check.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

// PSS baseline "AppArmor": the appArmorProfile field (RuntimeDefault or Localhost) and the deprecated
// per-container annotation (empty, runtime/default or localhost/*) are both still checked (check_appArmorProfile.go).
export const appArmor = pssCheck({
  control: 'AppArmor',
  upstreamId: 'appArmorProfile',
  level: 'baseline',
  slug: 'apparmor',
  title: 'AppArmor is disabled or overridden',
  description:
    'An Unconfined AppArmor profile removes the mandatory access control the runtime applies by default.',
  remediation:
    'Remove appArmorProfile (the runtime default applies) or set its type to RuntimeDefault or Localhost.',
  evaluate(pod) {
    const violations: Violation[] = [];
    const podType = recordAt(pod.spec, 'securityContext', 'appArmorProfile');
    if (podType && !ALLOWED_TYPES.has(podType.type as string)) {
      violations.push(
        podViolation(
          pod,
          ['securityContext', 'appArmorProfile', 'type'],
          `pod must not set securityContext.appArmorProfile.type=${show(podType.type)}`,
        ),
      );
    }
    for (const entry of containersOf(pod.spec)) {
      const profile = recordAt(entry.container, 'securityContext', 'appArmorProfile');
      if (profile && !ALLOWED_TYPES.has(profile.type as string)) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'appArmorProfile', 'type'],
            `${describeContainer(entry)} must not set securityContext.appArmorProfile.type=${show(profile.type)}`,
          ),
        );
      }
    }
    for (const [key, value] of Object.entries(pod.metadata.annotations ?? {})) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const ok =
        value === '' ||
        value === 'runtime/default' ||
        (typeof value === 'string' && value.startsWith('localhost/'));
      if (!ok) {
        const path = [...pod.specPath.slice(0, -1), 'metadata', 'annotations', key];
        violations.push({
          path,
          evidence: `annotation ${key}=${show(value)} is not runtime/default or localhost/*`,
        });
      }
    }
    return violations;
  },
});
