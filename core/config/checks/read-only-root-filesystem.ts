import { containerCheck } from './container-check.js';
import { cis, nsa } from './references.js';

export const readOnlyRootFilesystem = containerCheck({
  id: 'read-only-root-filesystem',
  title: 'Root filesystem is writable',
  severity: 'low',
  description:
    'A writable root filesystem lets an intruder drop tools and binaries and modify the application in place (NSA/CISA: immutable container file systems). Windows pods (spec.os.name: windows) cannot set the field and are not checked.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the app must write.',
  references: [nsa('Pod security: immutable container file systems'), cis('5.7.3')],
  // core/v1 validation forbids readOnlyRootFilesystem when spec.os.name is windows.
  applies: (_entry, pod) => pod.spec.os?.name !== 'windows',
  problem: (entry) =>
    entry.container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : {
          path: ['securityContext', 'readOnlyRootFilesystem'],
          evidence: 'securityContext.readOnlyRootFilesystem is not true',
        },
});
