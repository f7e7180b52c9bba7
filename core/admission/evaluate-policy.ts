import {
  type CostAccount,
  CostLimitExceeded,
  metered,
  PER_CALL_LIMIT,
  RUNTIME_BUDGET,
} from '../cel/cel-cost.js';
import type { ValidationAction } from '../model/index.js';
import {
  type CompiledExpression,
  type CompiledPolicy,
  type CompiledVariable,
  describeCelError,
} from './compile-policy.js';

/** One validation that denied the request. */
export interface PolicyFailure {
  /** Index in spec.validations; undefined for errors outside a validation (matchConditions, variables). */
  validationIndex?: number;
  message: string;
  reason: string;
  /** Set when the failure is an evaluation error (failurePolicy Fail), not a false validation. */
  error?: boolean;
}

export interface PolicyEvaluation {
  failures: PolicyFailure[];
  auditAnnotations: Record<string, string>;
  /** Evaluation errors: reported as problems whatever the failurePolicy says. */
  errors: string[];
}

/** Inputs to one evaluation (VAP `object`, `oldObject`, `request`, `params`, `namespaceObject`). */
export type Activation = Record<string, unknown>;

/** What a variable gave on one object: its value and what evaluating it cost. */
interface VariableResult {
  value: unknown;
  cost: number;
}

/**
 * Results of the variables that read neither params nor other variables (CompiledVariable.perObject),
 * by expression text, for one object: many policies declare the same variable (the pod template's
 * containers), and its value and cost depend only on the object's own activation.
 */
export type ObjectVariables = Map<string, VariableResult>;

class EvaluationBudget implements CostAccount {
  spent = 0;
  run(expression: CompiledExpression, activation: Activation): unknown {
    const limit = Math.min(PER_CALL_LIMIT, RUNTIME_BUDGET - this.spent);
    try {
      return metered(limit, expression, activation, this);
    } catch (error) {
      if (error instanceof CostLimitExceeded) this.spent += limit;
      throw error;
    }
  }

  /**
   * A per-object variable: evaluated by the first policy that reads it on this object, and charged to
   * every later one as if evaluated again (the same cost; over this budget's limit the same
   * CostLimitExceeded). Only values are kept: an error is raised again by evaluating again.
   */
  runShared(results: ObjectVariables, expression: CompiledExpression, activation: Activation): unknown {
    const known = results.get(expression.source);
    if (known === undefined) {
      const before = this.spent;
      const value = this.run(expression, activation);
      results.set(expression.source, { value, cost: this.spent - before });
      return value;
    }
    const limit = Math.min(PER_CALL_LIMIT, RUNTIME_BUDGET - this.spent);
    if (known.cost > limit) {
      this.spent += limit;
      throw new CostLimitExceeded(limit);
    }
    this.spent += known.cost;
    return known.value;
  }
}

function evaluationMessage(policy: CompiledPolicy, expression: CompiledExpression, error: unknown): string {
  if (error instanceof CostLimitExceeded)
    return `ValidatingAdmissionPolicy ${policy.name}: ${expression.field}: ${error.message} (limit ${error.limit})`;
  return `ValidatingAdmissionPolicy ${policy.name}: ${expression.field}: expression ${JSON.stringify(expression.source)} resulted in error: ${describeCelError(error, expression.source)}`;
}

/**
 * Runs one policy on one request the way the validating admission policy plugin does: matchConditions
 * first (all must be true), then every validation with lazily evaluated `variables`, a false
 * validation giving its message (messageExpression first, then message, then "failed expression: …"),
 * then auditAnnotations. Evaluation errors follow failurePolicy (default Fail: the request is denied).
 */
export function evaluatePolicy(
  policy: CompiledPolicy,
  base: Activation,
  objectVariables?: ObjectVariables,
): PolicyEvaluation {
  // One budget for every evaluation: evaluation is synchronous and never re-enters evaluatePolicy,
  // and a fresh one per policy and object showed in the policy row's garbage.
  budget.spent = 0;
  let result = NOTHING;

  for (const condition of policy.matchConditions) {
    let value: unknown;
    try {
      value = budget.run(condition.expression, base);
    } catch (error) {
      return recordError(policy, result, condition.expression, error);
    }
    if (value !== true) return result; // a false matchCondition: the policy does not apply
  }

  const activation = withVariables(policy, base, budget, objectVariables);
  for (const validation of policy.validations) {
    let value: unknown;
    try {
      value = budget.run(validation.expression, activation);
    } catch (error) {
      result = recordError(
        policy,
        result,
        validation.expression,
        unwrapVariableError(error),
        validation.index,
      );
      continue;
    }
    if (value === true) continue;
    if (typeof value !== 'boolean') {
      result = recordError(
        policy,
        result,
        validation.expression,
        new Error(`expression must evaluate to bool, got ${typeof value}`),
        validation.index,
      );
      continue;
    }
    result = opened(result);
    result.failures.push({
      validationIndex: validation.index,
      message: failureMessage(policy, validation, activation, budget, result),
      reason: validation.reason,
    });
  }

  for (const annotation of policy.auditAnnotations) {
    try {
      const value = budget.run(annotation.expression, activation);
      // A null value means "no annotation"; anything but a string is an error (API reference).
      if (value === null) continue;
      if (typeof value !== 'string') throw new Error('valueExpression must evaluate to a string or null');
      result = opened(result);
      result.auditAnnotations[`${policy.name}/${annotation.key}`] = value;
    } catch (error) {
      result = recordError(policy, result, annotation.expression, unwrapVariableError(error));
    }
  }
  return result;
}

const budget = new EvaluationBudget();

/**
 * The evaluation of a policy that found nothing, shared (frozen: a caller cannot add to it): most
 * policies pass most objects, and three empty containers per policy and object were garbage.
 */
const NOTHING: PolicyEvaluation = Object.freeze({
  failures: Object.freeze([]) as unknown as PolicyFailure[],
  auditAnnotations: Object.freeze({}) as Record<string, string>,
  errors: Object.freeze([]) as unknown as string[],
});

/** `result`, or a fresh evaluation to add to in place of the shared empty one. */
function opened(result: PolicyEvaluation): PolicyEvaluation {
  return result === NOTHING ? { failures: [], auditAnnotations: {}, errors: [] } : result;
}

/**
 * An evaluation error: reported as a problem, and under failurePolicy Fail (the default) a denial.
 * Returns the evaluation it was added to (`result`, opened if it was the shared empty one).
 */
function recordError(
  policy: CompiledPolicy,
  evaluation: PolicyEvaluation,
  expression: CompiledExpression,
  error: unknown,
  validationIndex?: number,
): PolicyEvaluation {
  const result = opened(evaluation);
  const message = evaluationMessage(policy, expression, error);
  result.errors.push(message);
  if ((policy.policy.spec.failurePolicy ?? 'Fail') === 'Fail')
    result.failures.push({
      ...(validationIndex !== undefined ? { validationIndex } : {}),
      message,
      reason: 'Invalid',
      error: true,
    });
  return result;
}

function failureMessage(
  policy: CompiledPolicy,
  validation: CompiledPolicy['validations'][number],
  activation: Activation,
  budget: EvaluationBudget,
  result: PolicyEvaluation,
): string {
  if (validation.messageExpression) {
    try {
      const value = budget.run(validation.messageExpression, activation);
      // An empty, blank or multi-line result falls back to `message` (validating admission plugin).
      if (typeof value === 'string' && value.trim() !== '' && !value.includes('\n')) return value;
      if (typeof value !== 'string') throw new Error('messageExpression must evaluate to a string');
    } catch (error) {
      result.errors.push(evaluationMessage(policy, validation.messageExpression, unwrapVariableError(error)));
    }
  }
  return validation.fallbackMessage;
}

class VariableError extends Error {
  constructor(readonly inner: unknown) {
    super((inner as Error)?.message ?? String(inner));
  }
}

function unwrapVariableError(error: unknown): unknown {
  return error instanceof VariableError ? error.inner : error;
}

/**
 * The activation of validations and annotations: `base` with `variables.<name>`, each evaluated on
 * first use, once per request, in scope of the variables before it (the same activation: a variable
 * reads the ones before it through `variables`). `base` itself gets the `variables` entry, set in
 * place: the caller builds it once per object and evaluation is synchronous (a copy per policy and
 * object showed at 2 % of the policy row). Each policy has one `variables` object, its getters
 * defined once, and one scope, emptied for each request: a policy never re-enters itself, and no CEL
 * result can hold the object (validations give bools, messages and annotations strings), so reusing
 * it is safe; defining the getters anew for every request showed at 1–4 % of the policy row's profile.
 */
function withVariables(
  policy: CompiledPolicy,
  base: Activation,
  budget: EvaluationBudget,
  objectVariables: ObjectVariables | undefined,
): Activation {
  const variables = variablesOf(policy);
  base.variables = variables;
  const scope = variables[SCOPE];
  if (!scope) {
    variables[SCOPE] = {
      activation: base,
      budget,
      objectVariables,
      states: new Array(policy.variables.length).fill(NOT_YET),
    } satisfies VariableScope;
    return base;
  }
  // The policy's scope emptied for this request rather than a new one (see above).
  scope.activation = base;
  scope.budget = budget;
  scope.objectVariables = objectVariables;
  scope.states.fill(NOT_YET);
  return base;
}

/**
 * One request's variables: what they are evaluated against, and each one's value (or VariableError)
 * once known, NOT_YET before: the value itself, not an object holding it, for every variable read.
 */
interface VariableScope {
  activation: Activation;
  budget: EvaluationBudget;
  objectVariables: ObjectVariables | undefined;
  states: unknown[];
}

const NOT_YET = Symbol('not evaluated yet');

// A symbol key: CEL reads only string keys (and cel-js lists only those), so the scope stays invisible.
const SCOPE = Symbol('variable scope');

type VariablesObject = Record<string | symbol, unknown> & { [SCOPE]?: VariableScope };

const variablesByPolicy = new WeakMap<CompiledPolicy, VariablesObject>();

function variablesOf(policy: CompiledPolicy): VariablesObject {
  let variables = variablesByPolicy.get(policy);
  if (variables) return variables;
  variables = {};
  for (const [index, variable] of policy.variables.entries()) {
    Object.defineProperty(variables, variable.name, {
      enumerable: true,
      get(this: VariablesObject) {
        const scope = this[SCOPE] as VariableScope;
        let state = scope.states[index];
        if (state === NOT_YET) {
          state = evaluateVariable(scope, variable);
          scope.states[index] = state;
        }
        if (state instanceof VariableError) throw state;
        return state;
      },
    });
  }
  variablesByPolicy.set(policy, variables);
  return variables;
}

/** A variable's value, or the VariableError its evaluation ended with (thrown on every read). */
function evaluateVariable(scope: VariableScope, variable: CompiledVariable): unknown {
  try {
    if (variable.perObject && scope.objectVariables)
      return scope.budget.runShared(scope.objectVariables, variable.expression, scope.activation);
    return scope.budget.run(variable.expression, scope.activation);
  } catch (error) {
    return new VariableError(error);
  }
}

export type { ValidationAction };
