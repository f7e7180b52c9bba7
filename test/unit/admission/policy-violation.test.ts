import { describe, expect, it } from '@jest/globals';
import { compilePolicy } from '../../../core/admission/compile-policy.js';
import type { BoundPolicy, PolicyBinding } from '../../../core/admission/policy-set.js';
import { policyViolation } from '../../../core/admission/policy-violation.js';
import { ValidatingAdmissionPolicy } from '../../../core/model/index.js';

const compiled = compilePolicy(
  ValidatingAdmissionPolicy.parse({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'replicas', annotations: { 'seco.dev/severity': 'High' } },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
        ],
      },
      validations: [{ expression: 'object.spec.replicas <= 5', message: 'too many replicas' }],
    },
  }),
);
const binding: PolicyBinding = { name: 'replicas-binding', validationActions: ['Deny', 'Audit'] };
const bound: BoundPolicy = { compiled, bindings: [binding] };

describe('policyViolation', () => {
  it('says what failed, where, through which binding, at the annotated severity', () => {
    expect(policyViolation(bound, binding, 'Forbidden', 'too many replicas', 0)).toEqual({
      id: 'replicas',
      ruleId: 'replicas',
      title: 'too many replicas',
      severity: 'high',
      evidence:
        'too many replicas [binding replicas-binding, actions Deny,Audit, reason Forbidden] (spec.validations[0])',
      description: 'ValidatingAdmissionPolicy replicas would reject this object on creation.',
      remediation:
        "Change the object so that the policy's validations hold, or suppress replicas with a reason.",
      references: [{ kind: 'other', id: 'ValidatingAdmissionPolicy/replicas' }],
    });
    expect(policyViolation(bound, binding, 'Invalid', 'no params found').evidence).toBe(
      'no params found [binding replicas-binding, actions Deny,Audit, reason Invalid]',
    );
  });

  it('gives the same failure the same violation, and a different reason or validation its own', () => {
    const first = policyViolation(bound, binding, 'Invalid', 'too many replicas', 0);
    expect(policyViolation(bound, binding, 'Invalid', 'too many replicas', 0)).toBe(first);
    expect(policyViolation(bound, binding, 'Invalid', `too many ${'replicas'}`, 0)).toBe(first);
    const other = policyViolation(bound, binding, 'Invalid', 'too many replicas', 1);
    expect(other).not.toBe(first);
    expect(other.evidence).toContain('(spec.validations[1])');
    expect(policyViolation(bound, binding, 'Forbidden', 'too many replicas', 0).evidence).toContain(
      'reason Forbidden',
    );
  });

  it('appends audit annotations to the evidence of that object only', () => {
    const annotated = policyViolation(
      bound,
      binding,
      'Invalid',
      'too many replicas',
      0,
      '; audit annotations: a=b',
    );
    expect(annotated.evidence).toBe(
      'too many replicas [binding replicas-binding, actions Deny,Audit, reason Invalid] (spec.validations[0]); audit annotations: a=b',
    );
    expect(policyViolation(bound, binding, 'Invalid', 'too many replicas', 0).evidence).not.toContain(
      'audit',
    );
  });
});
