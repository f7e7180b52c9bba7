import { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from './cel-library.js';
import { formatLibrary } from './format.js';
import { ipCidrLibrary } from './ip-cidr.js';
import { listsLibrary } from './lists.js';
import { quantityLibrary } from './quantity.js';
import { regexLibrary } from './regex.js';
import { semverLibrary } from './semver.js';
import { stringsLibrary } from './strings.js';
import { urlLibrary } from './url.js';

/**
 * Kubernetes' CEL libraries beyond the CEL standard ones (k8s.io/apiserver/pkg/cel/environment/base.go).
 *
 * Known deviation that no library can fix: a call no overload accepts is refused at check time as in
 * Kubernetes, but worded by cel-js's checker ("found no matching overload for 'isQuantity(list<int>)'")
 * rather than cel-go's ("... for 'isQuantity' applied to '(list(int))'"). Each library file names
 * its own deviations.
 */
export const KUBERNETES_CEL_LIBRARIES: readonly CelLibrary[] = [
  stringsLibrary,
  listsLibrary,
  regexLibrary,
  urlLibrary,
  quantityLibrary,
  ipCidrLibrary,
  formatLibrary,
  semverLibrary,
];

/**
 * A CEL environment as the API server gives admission expressions: optional types on, heterogeneous
 * literals allowed (unstructured objects are `dyn`), the Kubernetes libraries, and `variables` declared.
 * `names` are the variables an expression may read (object, oldObject, request, params, …).
 */
export function kubernetesCelEnv(names: readonly string[]): Environment {
  const env = new Environment({
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
    unlistedVariablesAreDyn: false,
  });
  for (const library of KUBERNETES_CEL_LIBRARIES) library.register(env);
  for (const name of names) env.registerVariable(name, 'dyn');
  return env;
}
