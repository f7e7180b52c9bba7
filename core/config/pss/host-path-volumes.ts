import { isRecord, listOf, podViolation, pssCheck } from './pss-check.js';

// PSS baseline "HostPath Volumes": spec.volumes[*].hostPath must be undefined (check_hostPathVolumes.go).
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
    return listOf(pod.spec.volumes).flatMap((volume, index) =>
      isRecord(volume) && volume.hostPath !== undefined && volume.hostPath !== null
        ? [
            podViolation(
              pod,
              ['volumes', index, 'hostPath'],
              `pod must not use hostPath volume ${JSON.stringify(String(volume.name ?? index))}`,
            ),
          ]
        : [],
    );
  },
});
