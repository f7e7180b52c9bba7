import { describeContainer } from '../../kube/pod-template.js';
import {
  containerViolation,
  containerViolations,
  notFalseEvidence,
  pssCheck,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'privileged'];

// PSS baseline "Privileged Containers": securityContext.privileged false or unset on containers, init and
// ephemeral containers (check_privileged.go).
export const privileged = pssCheck({
  control: 'Privileged Containers',
  upstreamId: 'privileged',
  level: 'baseline',
  slug: 'privileged',
  title: 'Privileged container',
  description: 'A privileged container has every capability and all host devices: it is root on the node.',
  remediation: 'Remove securityContext.privileged or set it to false.',
  evaluate(pod) {
    return containerViolations(pod, (entry) => {
      const value = valueAtPath(entry.container, FIELD);
      const evidence = notFalseEvidence(describeContainer(entry), 'securityContext.privileged', value);
      return evidence ? containerViolation(pod, entry, FIELD, evidence) : undefined;
    });
  },
});
