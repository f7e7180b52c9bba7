import type { KubeObject } from '../kube/types.js';
import {
  type InputProblem,
  type MatchResources,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
} from '../model/index.js';
import { type CompiledPolicy, compilePolicy } from './compile-policy.js';
import { type ObjectReview, type ReviewContext, reviewObject } from './review-object.js';

export { POLICY_KINDS } from './policy-kinds.js';

/** A binding as the matcher uses it; a policy without one gets an implicit binding with no params. */
export interface PolicyBinding {
  name?: string;
  matchResources?: MatchResources;
  paramRef?: ValidatingAdmissionPolicyBinding['spec']['paramRef'];
  validationActions: readonly string[];
}

export interface BoundPolicy {
  compiled: CompiledPolicy;
  bindings: PolicyBinding[];
}

/** Where a policy object came from, to name it in problems. */
export interface PolicySource {
  object: KubeObject;
  source: string;
  line?: number;
}

/**
 * The policies of one scan, compiled once: each ValidatingAdmissionPolicy with its bindings.
 * A policy that does not validate or compile is a problem; the other policies still run.
 */
export class AdmissionPolicySet {
  private constructor(
    readonly policies: readonly BoundPolicy[],
    readonly problems: readonly InputProblem[],
  ) {}

  get size(): number {
    return this.policies.length;
  }

  /** Reviews one object as a CREATE request against every policy and binding (review-object.ts). */
  review(object: KubeObject, context: ReviewContext): ObjectReview {
    return reviewObject(this, object, context);
  }

  static build(sources: readonly PolicySource[]): AdmissionPolicySet {
    const problems: InputProblem[] = [];
    const compiled = new Map<string, CompiledPolicy>();
    const bindings = new Map<string, PolicyBinding[]>();
    const problem = (s: PolicySource, message: string) =>
      problems.push({ kind: 'error', source: s.source, ...(s.line ? { line: s.line } : {}), message });
    for (const s of sources) {
      const name = String(s.object.metadata?.name ?? '(unnamed)');
      if (s.object.kind === 'ValidatingAdmissionPolicy') {
        const parsed = ValidatingAdmissionPolicy.safeParse(s.object);
        if (!parsed.success) {
          problem(s, `ValidatingAdmissionPolicy ${name}: ${zodSummary(parsed.error)}`);
          continue;
        }
        if (compiled.has(name)) {
          problem(s, `ValidatingAdmissionPolicy ${name}: defined twice; the first definition is used`);
          continue;
        }
        try {
          compiled.set(name, compilePolicy(parsed.data));
        } catch (error) {
          problem(s, (error as Error).message);
        }
      } else if (s.object.kind === 'ValidatingAdmissionPolicyBinding') {
        const parsed = ValidatingAdmissionPolicyBinding.safeParse(s.object);
        if (!parsed.success) {
          problem(s, `ValidatingAdmissionPolicyBinding ${name}: ${zodSummary(parsed.error)}`);
          continue;
        }
        const spec = parsed.data.spec;
        const list = bindings.get(spec.policyName) ?? [];
        list.push({
          name: parsed.data.metadata.name,
          ...(spec.matchResources ? { matchResources: spec.matchResources } : {}),
          ...(spec.paramRef ? { paramRef: spec.paramRef } : {}),
          validationActions: spec.validationActions ?? ['Deny'],
        });
        bindings.set(spec.policyName, list);
      }
    }
    for (const [policyName, list] of bindings)
      if (!compiled.has(policyName))
        problems.push({
          kind: 'warning',
          source: 'policies',
          message: `ValidatingAdmissionPolicyBinding ${list.map((b) => b.name).join(', ')}: policy ${policyName} is not among the policies given`,
        });
    const policies = [...compiled.values()].map((c) => ({
      compiled: c,
      // No binding: the policy applies as if bound without params and with the Deny action.
      bindings: bindings.get(c.name) ?? [{ validationActions: ['Deny'] }],
    }));
    return new AdmissionPolicySet(policies, problems);
  }
}

function zodSummary(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(object)'}: ${i.message}`)
    .join('; ');
}
