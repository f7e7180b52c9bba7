import type { Environment } from '@marcbachmann/cel-js';

/**
 * One of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library): the types and functions it adds
 * to an environment. Each library is one file next to this one and one line in kubernetes-cel-env.ts.
 */
export interface CelLibrary {
  name: string;
  register(env: Environment): void;
}
