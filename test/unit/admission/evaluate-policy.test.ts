import { describe, expect, it } from '@jest/globals';
import { type CompiledPolicy, compilePolicy } from '../../../core/admission/compile-policy.js';
import {
  type Activation,
  evaluatePolicy,
  type ObjectVariables,
} from '../../../core/admission/evaluate-policy.js';
import { celJson } from '../../../core/cel/cel-json.js';
import { ValidatingAdmissionPolicy } from '../../../core/model/index.js';

const RULES = {
  resourceRules: [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] },
  ],
};

function policy(
  name: string,
  variables: Array<[string, string]>,
  validations: string[],
  extra: Record<string, unknown> = {},
): CompiledPolicy {
  return compilePolicy(
    ValidatingAdmissionPolicy.parse({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        matchConstraints: RULES,
        variables: variables.map(([n, expression]) => ({ name: n, expression })),
        validations: validations.map((expression) => ({ expression })),
        ...extra,
      },
    }),
  );
}

function activation(object: Record<string, unknown>, params: unknown = null): Activation {
  return {
    object: celJson(object),
    oldObject: null,
    params,
    variables: null,
    namespaceObject: null,
    request: { operation: 'CREATE' },
  };
}

/** Each policy evaluated on its own (as the API server does) and with one object's shared variables. */
function bothWays(policies: CompiledPolicy[], object: Record<string, unknown>) {
  const alone = policies.map((p) => evaluatePolicy(p, activation(object)));
  const shared: ObjectVariables = new Map();
  const base = activation(object);
  const together = policies.map((p) => evaluatePolicy(p, base, shared));
  return { alone, together, shared };
}

const configMap = (data: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'shop' },
  data,
});

describe('evaluatePolicy with variables shared by the policies reviewing one object', () => {
  it('marks a variable per-object only when it reads neither params nor other variables', () => {
    const p = policy(
      'p',
      [
        ['own', 'object.data.size()'],
        ['viaParams', 'params.limit'],
        ['viaVariables', 'variables.own + 1'],
        ['shadowing', "object.data.exists(params, params == 'x')"],
      ],
      ['true'],
    );
    expect(p.variables.map((v) => [v.name, v.perObject])).toEqual([
      ['own', true],
      ['viaParams', false],
      ['viaVariables', false],
      ['shadowing', false],
    ]);
  });

  it('gives every policy the verdicts and messages it gives alone, evaluating a shared variable once', () => {
    const policies = [
      policy('a', [['keys', 'object.data.size()']], ['variables.keys <= 2']),
      policy('b', [['keys', 'object.data.size()']], ['variables.keys <= 1', 'variables.keys >= 1']),
      policy('c', [['first', "object.data.a + '!'"]], ["variables.first == 'x!'"]),
    ];
    const { alone, together, shared } = bothWays(policies, configMap({ a: 'x', b: 'y' }));
    expect(together).toEqual(alone);
    expect(together.map((e) => e.failures.length)).toEqual([0, 1, 0]);
    expect([...shared.keys()]).toEqual(['object.data.size()', "object.data.a + '!'"]);
  });

  it('raises a failing shared variable again for every policy that reads it', () => {
    const policies = [
      policy('a', [['missing', 'object.data.nope']], ["variables.missing == 'x'"]),
      policy('b', [['missing', 'object.data.nope']], ["variables.missing == 'y'"]),
    ];
    const { alone, together, shared } = bothWays(policies, configMap({ a: 'x' }));
    expect(together).toEqual(alone);
    expect(together[1]?.errors[0]).toMatch(
      /^ValidatingAdmissionPolicy b: spec\.validations\[0\]\.expression: .*No such key: nope/,
    );
    expect(shared.size).toBe(0);
  });

  it('charges a shared variable its cost in each policy: over what is left of the budget it is cancelled', () => {
    // replace(…, 0) charges 0.1 per character and returns at once: a ~900,000-unit expression.
    const costly = "object.data.big.replace('y', 'z', 0).size() > 0";
    const big = 'x'.repeat(9_000_000);
    const first = policy('first', [['long', costly]], ['variables.long']);
    // Eleven costly validations leave less of the 10,000,000-unit budget than the variable costs.
    const spender = policy('spender', [['long', costly]], [...Array(11).fill(costly), 'variables.long']);
    const { alone, together, shared } = bothWays([first, spender], configMap({ big }));
    expect(shared.size).toBe(1);
    expect(together).toEqual(alone);
    expect(together[1]?.errors).toEqual([
      expect.stringMatching(
        /^ValidatingAdmissionPolicy spender: spec\.validations\[11\]\.expression: operation cancelled: actual cost limit exceeded \(limit \d+\)$/,
      ),
    ]);
  });
});
