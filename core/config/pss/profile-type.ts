import { isRecord, show, valueAtPath } from './pss-check.js';

/** A seccomp or AppArmor profile as pod-security-admission sees it: unset, an allowed type, or something else. */
export type ProfileState = { state: 'unset' } | { state: 'allowed' } | { state: 'forbidden'; shown: string };

/** Both seccompProfile and appArmorProfile allow exactly these types (check_seccompProfile_*.go, check_appArmorProfile.go). */
const ALLOWED_TYPES = new Set(['RuntimeDefault', 'Localhost']);

// The paths read, built once: these run for the pod and every container of every pod template.
const PROFILE_PATHS = {
  seccompProfile: ['securityContext', 'seccompProfile'],
  appArmorProfile: ['securityContext', 'appArmorProfile'],
};
const TYPE = ['type'];
const UNSET: ProfileState = Object.freeze({ state: 'unset' });
const ALLOWED: ProfileState = Object.freeze({ state: 'allowed' });

/**
 * The state of `securityContext.<field>` on a pod spec or container. A profile object whose type is missing or
 * empty is forbidden, as upstream (its type decodes to ""). A profile that is not an object at all cannot be
 * one of the allowed types either, so it is forbidden too.
 */
export function profileState(holder: unknown, field: 'seccompProfile' | 'appArmorProfile'): ProfileState {
  const profile = valueAtPath(holder, PROFILE_PATHS[field]);
  if (profile === undefined) return UNSET;
  if (!isRecord(profile)) return { state: 'forbidden', shown: show(profile, 'object') };
  const type = valueAtPath(profile, TYPE);
  return typeof type === 'string' && ALLOWED_TYPES.has(type)
    ? ALLOWED
    : { state: 'forbidden', shown: type === undefined ? '""' : show(type, 'string') };
}
