import { Flags } from '@oclif/core';

/** The connection flags every cluster command takes, named and meant as kubectl's. */
export const kubeFlags = {
  kubeconfig: Flags.string({
    description: 'path to the kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)',
  }),
  context: Flags.string({ description: 'the kubeconfig context to use' }),
};

/** Where seco's stack lives unless told otherwise. */
export const DEFAULT_SECO_NAMESPACE = 'seco-system';
