import { describe, expect, it } from '@jest/globals';
import { compilePolicy } from '../../../core/admission/compile-policy.js';
import { type Activation, evaluatePolicy } from '../../../core/admission/evaluate-policy.js';
import { celJson } from '../../../core/cel/cel-json.js';
import { ValidatingAdmissionPolicy } from '../../../core/model/index.js';

// evaluatePolicy reuses one budget, one variable scope per policy and a shared empty evaluation
// (evaluate-policy.ts): nothing of one request may show in another's result.

const policy = compilePolicy(
  ValidatingAdmissionPolicy.parse({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: 'small-data' },
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
        ],
      },
      variables: [
        { name: 'keys', expression: 'object.data.size()' },
        { name: 'first', expression: 'object.data.a' },
      ],
      validations: [
        { expression: 'variables.keys <= 1', messageExpression: "'has ' + string(variables.keys) + ' keys'" },
        { expression: "variables.first != 'bad'", message: 'a is bad' },
      ],
    },
  }),
);

function activation(data: Record<string, unknown>): Activation {
  const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data };
  return {
    object: celJson(object),
    oldObject: null,
    params: null,
    variables: null,
    namespaceObject: null,
    request: {},
  };
}

describe('evaluatePolicy, one request after another', () => {
  it('gives each request its own variables, failures and errors', () => {
    const many = evaluatePolicy(policy, activation({ a: 'bad', b: 'x', c: 'y' }));
    const passing = evaluatePolicy(policy, activation({ a: 'ok' }));
    const missing = evaluatePolicy(policy, activation({}));
    const two = evaluatePolicy(policy, activation({ a: 'ok', b: 'x' }));
    expect(many.failures.map((f) => f.message)).toEqual(['has 3 keys', 'a is bad']);
    expect(passing).toEqual({ failures: [], auditAnnotations: {}, errors: [] });
    expect(missing.errors).toEqual([expect.stringContaining('No such key: a')]);
    expect(two.failures.map((f) => f.message)).toEqual(['has 2 keys']);
    // The earlier results are untouched by the later requests.
    expect(many.failures).toHaveLength(2);
    expect(passing.failures).toHaveLength(0);
  });

  it('hands out an evaluation that finds nothing as one that cannot be added to', () => {
    const passing = evaluatePolicy(policy, activation({ a: 'ok' }));
    expect(() => passing.failures.push({ message: 'x', reason: 'Invalid' })).toThrow();
    expect(evaluatePolicy(policy, activation({ a: 'ok' })).failures).toHaveLength(0);
  });
});
