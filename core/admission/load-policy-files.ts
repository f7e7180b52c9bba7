import { parseManifests } from '../config/input/parse-manifests.js';
import { DEFAULT_READ_LIMITS, type ReadLimits, readSources } from '../config/input/read-sources.js';
import type { KubeObject } from '../kube/types.js';
import type { InputProblem } from '../model/index.js';
import { AdmissionPolicySet, POLICY_KINDS, type PolicySource } from './policy-set.js';

export interface LoadedPolicies {
  set: AdmissionPolicySet;
  /** Other objects in the policy files: params for bindings (ConfigMaps, custom resources). */
  params: KubeObject[];
  problems: InputProblem[];
}

/**
 * Reads `--policy FILE|DIR` arguments: every ValidatingAdmissionPolicy and binding in them is
 * compiled; other objects there are params. Unreadable files and bad policies are problems.
 */
export async function loadPolicyFiles(
  paths: readonly string[],
  stdin: () => Promise<Buffer>,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<LoadedPolicies> {
  const read = await readSources(paths, stdin, limits);
  const problems: InputProblem[] = [...read.problems];
  const sources: PolicySource[] = [];
  const params: KubeObject[] = [];
  for (const source of read.sources) {
    const parsed = parseManifests(source);
    for (const problem of parsed.problems) problems.push(problem);
    for (const m of parsed.objects) {
      if (POLICY_KINDS.has(m.object.kind ?? ''))
        sources.push({ object: m.object, source: m.file, line: m.line });
      else params.push(m.object);
    }
  }
  const set = AdmissionPolicySet.build(sources);
  return { set, params, problems: [...problems, ...set.problems] };
}
