import {
  containerEvidence,
  containerViolation,
  containerViolations,
  isRecord,
  pssCheck,
  show,
  valueAt,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'cgroupOptions'];
const MOUNT_MODE = [...FIELD, 'mountMode'];

/** What is wrong with one container's cgroupOptions, or undefined: unset, no mountMode, or "ReadOnly" pass. */
function problem(options: unknown): { path: string[]; text: string } | undefined {
  if (options === undefined) return undefined;
  // Not an object: it cannot be shown to leave the cgroup read-only.
  if (!isRecord(options))
    return { path: FIELD, text: `must not set securityContext.cgroupOptions=${show(options, 'object')}` };
  const mode = valueAt(options, 'mountMode');
  if (mode === undefined || mode === 'ReadOnly') return undefined;
  return {
    path: MOUNT_MODE,
    text: `must not set securityContext.cgroupOptions.mountMode to ${show(mode, 'string')}: only "ReadOnly" or unset`,
  };
}

// PSS restricted "Cgroup Mount Mode" (policy 1.38+, check_cgroupOptions_restricted.go): cgroupOptions.mountMode
// must be unset or "ReadOnly" on every container, init and ephemeral container. A writable cgroup mount lets the
// container rewrite its own cgroup subtree. The allowed values are the documented ones (undefined/null, "ReadOnly"):
// any other mode, not just "Writable", is refused, as "ReadOnly" is compared exactly.
export const cgroupOptions = pssCheck({
  control: 'Cgroup Mount Mode',
  upstreamId: 'cgroupOptions_restricted',
  level: 'restricted',
  slug: 'cgroup-options',
  title: 'Container mounts its cgroup writable',
  description:
    'A writable cgroup mount gives the container read-write access to its own cgroup subtree, an elevated capability the restricted profile does not allow.',
  remediation: 'Remove securityContext.cgroupOptions.mountMode or set it to ReadOnly.',
  evaluate(pod) {
    return containerViolations(pod, (entry) => {
      const found = problem(valueAtPath(entry.container, FIELD));
      return found
        ? containerViolation(pod, entry, found.path, containerEvidence(entry, found.text))
        : undefined;
    });
  },
});
