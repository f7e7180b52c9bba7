import { isRecord, listOf, podViolation, pssCheck, show, valueAt } from './pss-check.js';

// PSS baseline "HostPath Volumes": spec.volumes[*].hostPath must be unset (check_hostPathVolumes.go). Any value
// there — even `hostPath: {}` — is a hostPath volume.
export const hostPathVolumes = pssCheck({
  control: 'HostPath Volumes',
  upstreamId: 'hostPathVolumes',
  level: 'baseline',
  slug: 'host-path-volumes',
  title: 'Pod mounts a hostPath volume',
  description:
    'hostPath volumes expose the node’s filesystem: a path such as /, /var/run or /etc is a way out of the container.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistent volumes.',
  evaluate(pod) {
    return listOf(valueAt(pod.spec, 'volumes')).flatMap((volume, index) => {
      const hostPath = isRecord(volume) ? valueAt(volume, 'hostPath') : undefined;
      if (hostPath === undefined) return [];
      const name = isRecord(volume) && typeof volume.name === 'string' ? volume.name : `#${index}`;
      const path = valueAt(hostPath, 'path');
      return [
        podViolation(
          pod,
          ['volumes', index, 'hostPath'],
          `volume ${JSON.stringify(name)} must not use hostPath${path === undefined ? '' : ` ${show(path)}`}`,
        ),
      ];
    });
  },
});
