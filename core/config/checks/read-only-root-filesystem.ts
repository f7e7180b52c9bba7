import { cis, containerCheck, nsa } from './container-check.js';

export const readOnlyRootFilesystem = containerCheck({
  id: 'read-only-root-filesystem',
  title: 'Root filesystem is writable',
  severity: 'low',
  description: 'A writable root filesystem lets an intruder drop tools and modify the application in place.',
  remediation:
    'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the app must write.',
  references: [nsa('Immutable container file systems'), cis('5.7.3')],
  problem: (entry) =>
    entry.container.securityContext?.readOnlyRootFilesystem === true
      ? undefined
      : {
          path: ['securityContext', 'readOnlyRootFilesystem'],
          evidence: 'securityContext.readOnlyRootFilesystem is not true',
        },
});
