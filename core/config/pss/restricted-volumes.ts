import { isRecord, listOf, podViolation, pssCheck } from './pss-check.js';

// PSS restricted "Volume Types" (check_restrictedVolumes.go): only these sources; `image` since Kubernetes 1.33.
// A volume with no known source at all is "unknown" and refused, as upstream does.
const ALLOWED = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

export const restrictedVolumes = pssCheck({
  control: 'Volume Types',
  upstreamId: 'restrictedVolumes',
  level: 'restricted',
  slug: 'volume-types',
  title: 'Volume type not allowed by the restricted profile',
  description:
    'Restricted pods may use only ephemeral and claim-based volume types; other sources reach into nodes or storage directly.',
  remediation: `Use only ${[...ALLOWED].join(', ')} volumes; reach other storage through PersistentVolumeClaims.`,
  evaluate(pod) {
    return listOf(pod.spec.volumes).flatMap((volume, index) => {
      const sources = isRecord(volume)
        ? Object.keys(volume).filter((k) => k !== 'name' && volume[k] !== null && volume[k] !== undefined)
        : [];
      if (sources.some((s) => ALLOWED.has(s)) && sources.every((s) => ALLOWED.has(s))) return [];
      const name = isRecord(volume) ? String(volume.name ?? index) : String(index);
      const kinds = sources.filter((s) => !ALLOWED.has(s));
      return [
        podViolation(
          pod,
          ['volumes', index],
          `pod must not use volume ${JSON.stringify(name)} of type ${kinds.length > 0 ? kinds.join(', ') : 'unknown'}`,
        ),
      ];
    });
  },
});
