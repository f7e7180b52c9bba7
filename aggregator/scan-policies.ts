import { AdmissionPolicySet, POLICY_KINDS, type PolicySource } from '../core/admission/policy-set.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { isRecord, type KubeObject } from '../core/kube/types.js';
import type { InputProblem } from '../core/model/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { scanPoliciesKey } from '../core/store/scan-objects.js';

export interface ScanPolicies {
  set: AdmissionPolicySet;
  /** Params for bindings: the non-policy objects the client sent. */
  params: KubeObject[];
  problems: InputProblem[];
}

/**
 * The policies a scan reviews the app against: those the client sent (`scan --policy`, stored with
 * the scan) and, with `--cluster-policies`, the cluster's own ValidatingAdmissionPolicies and
 * bindings read through the KubeView. Bad policies are problems; the others run.
 */
export async function loadScanPolicies(
  kube: KubeView,
  store: ObjectStore,
  scanId: string,
  options: { sent: boolean; cluster: boolean },
): Promise<ScanPolicies | undefined> {
  if (!options.sent && !options.cluster) return undefined;
  const sources: PolicySource[] = [];
  const params: KubeObject[] = [];
  const problems: InputProblem[] = [];
  if (options.sent) {
    const body = await store.get(scanPoliciesKey(scanId));
    const sent: unknown = body ? JSON.parse(body.toString('utf8')) : [];
    for (const object of Array.isArray(sent) ? sent : []) {
      if (!isRecord(object)) continue;
      const o = object as KubeObject;
      if (POLICY_KINDS.has(o.kind ?? '')) sources.push({ object: o, source: 'scan --policy' });
      else params.push(o);
    }
  }
  if (options.cluster) {
    try {
      for (const kind of POLICY_KINDS)
        for (const object of await kube.list(kind)) sources.push({ object, source: `cluster ${kind}` });
    } catch (error) {
      problems.push({
        kind: 'error',
        source: 'cluster policies',
        message: `cannot list the cluster's ValidatingAdmissionPolicies: ${(error as Error).message}`,
      });
    }
  }
  const set = AdmissionPolicySet.build(sources);
  return { set, params, problems: [...problems, ...set.problems] };
}
