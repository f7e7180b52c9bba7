import { kubernetesCelEnv } from '../../../core/cel/kubernetes-cel-env.js';

const env = kubernetesCelEnv(['object']);

/** Type-checks and evaluates `expression` in the Kubernetes CEL environment; throws on either error. */
export function evaluateCel(expression: string, object: unknown = {}): unknown {
  const program = env.parse(expression);
  const checked = program.check();
  if (!checked.valid) throw checked.error;
  return program({ object });
}
