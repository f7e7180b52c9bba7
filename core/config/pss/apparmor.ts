import { describeContainer, type PodTemplate, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { profileState } from './profile-type.js';
import { containerViolation, isRecord, podViolation, pssCheck, show } from './pss-check.js';

const ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const TYPE_PATH = ['securityContext', 'appArmorProfile', 'type'];

// The deprecated annotation allows empty, runtime/default and localhost/<anything> (even "localhost/").
const allowedAnnotation = (value: unknown) =>
  value === '' ||
  value === 'runtime/default' ||
  (typeof value === 'string' && value.startsWith('localhost/'));

/** Every annotation with the AppArmor prefix, whatever container it names, as upstream iterates them all. */
function annotationViolations(pod: PodTemplate): Violation[] {
  const annotations = pod.metadata.annotations;
  if (!isRecord(annotations)) return [];
  const metadataPath = [...pod.specPath.slice(0, -1), 'metadata', 'annotations'];
  return Object.entries(annotations)
    .filter(([key, value]) => key.startsWith(ANNOTATION_PREFIX) && !allowedAnnotation(value))
    .map(([key, value]) => ({
      path: [...metadataPath, key],
      evidence: `annotation ${key}=${show(value, 'string')} must be "runtime/default", "localhost/*" or empty`,
    }));
}

// PSS baseline "AppArmor" (check_appArmorProfile.go): the appArmorProfile field, on the pod and every container,
// must be RuntimeDefault, Localhost or unset; the deprecated per-container annotation is still checked too.
export const appArmor = pssCheck({
  control: 'AppArmor',
  upstreamId: 'appArmorProfile',
  level: 'baseline',
  slug: 'apparmor',
  title: 'AppArmor is disabled or overridden',
  description:
    'An Unconfined AppArmor profile removes the mandatory access control the runtime applies by default.',
  remediation:
    'Remove appArmorProfile (the runtime default applies) or set its type to RuntimeDefault or Localhost; remove AppArmor annotations set to unconfined.',
  evaluate(pod) {
    const violations: Violation[] = [];
    const podState = profileState(pod.spec, 'appArmorProfile');
    if (podState.state === 'forbidden') {
      violations.push(
        podViolation(pod, TYPE_PATH, `pod must not set AppArmor profile type to ${podState.shown}`),
      );
    }
    for (const entry of podContainers(pod)) {
      const state = profileState(entry.container, 'appArmorProfile');
      if (state.state !== 'forbidden') continue;
      violations.push(
        containerViolation(
          pod,
          entry,
          TYPE_PATH,
          `${describeContainer(entry)} must not set AppArmor profile type to ${state.shown}`,
        ),
      );
    }
    return [...violations, ...annotationViolations(pod)];
  },
});
