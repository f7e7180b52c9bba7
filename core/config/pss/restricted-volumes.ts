import { isRecord, listOf, podViolation, pssCheck, show, valueAt } from './pss-check.js';

// PSS restricted "Volume Types" (check_restrictedVolumes.go): a volume passes when one of these sources is set —
// `image` since Kubernetes 1.33 (kubernetes#130394). Upstream tests only for an allowed source; a volume with none
// (hostPath, nfs…, or no known source at all) is refused.
const ALLOWED = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** The source fields a volume sets (null counts as unset, as a nil pointer upstream). */
function sourcesOf(volume: Record<string, unknown>): string[] {
  return Object.keys(volume).filter((key) => key !== 'name' && valueAt(volume, key) !== undefined);
}

export const restrictedVolumes = pssCheck({
  control: 'Volume Types',
  upstreamId: 'restrictedVolumes',
  level: 'restricted',
  slug: 'volume-types',
  title: 'Volume type not allowed by the restricted profile',
  description:
    'Restricted pods may use only ephemeral and claim-based volume types; other sources reach into nodes or storage directly.',
  remediation: `Use only ${ALLOWED.join(', ')} volumes; reach other storage through PersistentVolumeClaims.`,
  evaluate(pod) {
    return listOf(valueAt(pod.spec, 'volumes')).flatMap((volume, index) => {
      const sources = isRecord(volume) ? sourcesOf(volume) : [];
      if (sources.some((source) => ALLOWED.includes(source))) return [];
      const name = isRecord(volume) && typeof volume.name === 'string' ? volume.name : `#${index}`;
      const kinds = sources.length > 0 ? sources.join(', ') : `no allowed source (${show(volume, 'object')})`;
      return [
        podViolation(pod, ['volumes', index], `volume ${JSON.stringify(name)} has restricted type ${kinds}`),
      ];
    });
  },
});
