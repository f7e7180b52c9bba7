import type { Environment } from '@marcbachmann/cel-js';
import { instrumentCost } from '../cel/cel-cost.js';
import { compileProgram } from '../cel/compile-cel.js';
import { kubernetesCelEnv } from '../cel/kubernetes-cel-env.js';
import { referencedNames } from '../cel/referenced-names.js';
import type { ValidatingAdmissionPolicy } from '../model/index.js';

/** A compiled CEL expression and the field of the policy it came from (for error messages). */
export interface CompiledExpression {
  field: string;
  source: string;
  /** The activation variables the expression reads (object, params, variables, …). */
  reads: ReadonlySet<string>;
  run(activation: Record<string, unknown>): unknown;
}

export interface CompiledValidation {
  index: number;
  expression: CompiledExpression;
  message?: string;
  messageExpression?: CompiledExpression;
  /** What a false validation says without a usable messageExpression: `message`, else "failed expression: …". */
  fallbackMessage: string;
  reason: string;
}

export interface CompiledVariable {
  name: string;
  expression: CompiledExpression;
  /**
   * Reads neither params nor other variables: its value and cost are the same for every policy and
   * binding reviewing one object (evaluate-policy.ts shares them).
   */
  perObject: boolean;
}

export interface CompiledPolicy {
  policy: ValidatingAdmissionPolicy;
  name: string;
  matchConditions: Array<{ name: string; expression: CompiledExpression }>;
  variables: CompiledVariable[];
  validations: CompiledValidation[];
  auditAnnotations: Array<{ key: string; expression: CompiledExpression }>;
}

/** What an admission expression may read (k8s.io/apiserver/pkg/admission/plugin/policy/validating). */
const BASE_VARIABLES = ['object', 'oldObject', 'request', 'params', 'namespaceObject'];

// One environment per variable set: building one registers every library, so it is built once.
const envs = new Map<boolean, Environment>();
function envFor(withVariables: boolean): Environment {
  let env = envs.get(withVariables);
  if (!env) {
    env = kubernetesCelEnv(withVariables ? [...BASE_VARIABLES, 'variables'] : BASE_VARIABLES);
    envs.set(withVariables, env);
  }
  return env;
}

export class PolicyCompileError extends Error {}

/**
 * Compiles every expression of a policy, as the API server does when the policy is created: a
 * syntax or type error is reported with the policy's name, the field (`spec.validations[0].expression`)
 * and the position in the expression, and the policy is not used.
 */
export function compilePolicy(policy: ValidatingAdmissionPolicy): CompiledPolicy {
  const spec = policy.spec;
  const name = policy.metadata.name;
  const errors: string[] = [];
  const compile = (field: string, source: string, withVariables: boolean): CompiledExpression => {
    try {
      return compileExpression(envFor(withVariables), field, source);
    } catch (error) {
      errors.push((error as Error).message);
      return { field, source, reads: new Set(), run: () => undefined };
    }
  };
  const compiled: CompiledPolicy = {
    policy,
    name,
    matchConditions: (spec.matchConditions ?? []).map((c, i) => ({
      name: c.name,
      expression: compile(`spec.matchConditions[${i}].expression`, c.expression, false),
    })),
    variables: (spec.variables ?? []).map((v, i) => {
      const expression = compile(`spec.variables[${i}].expression`, v.expression, true);
      return {
        name: v.name,
        expression,
        perObject: !expression.reads.has('params') && !expression.reads.has('variables'),
      };
    }),
    validations: (spec.validations ?? []).map((v, i) => ({
      index: i,
      expression: compile(`spec.validations[${i}].expression`, v.expression, true),
      ...(v.message !== undefined ? { message: v.message } : {}),
      ...(v.messageExpression !== undefined
        ? {
            messageExpression: compile(`spec.validations[${i}].messageExpression`, v.messageExpression, true),
          }
        : {}),
      // Built once: every object the validation rejects shares the string.
      fallbackMessage: v.message ?? `failed expression: ${v.expression}`,
      reason: v.reason ?? 'Invalid',
    })),
    auditAnnotations: (spec.auditAnnotations ?? []).map((a, i) => ({
      key: a.key,
      expression: compile(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression, true),
    })),
  };
  if ((spec.validations ?? []).length === 0 && (spec.auditAnnotations ?? []).length === 0)
    errors.push('spec.validations: at least one of validations or auditAnnotations is required');
  if (!spec.matchConstraints?.resourceRules?.length)
    errors.push('spec.matchConstraints.resourceRules: Required value');
  if (errors.length > 0)
    throw new PolicyCompileError(`ValidatingAdmissionPolicy ${name}: ${errors.join('; ')}`);
  return compiled;
}

function compileExpression(env: Environment, field: string, source: string): CompiledExpression {
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(source);
  } catch (error) {
    throw new Error(`${field}: compilation failed: ${describeCelError(error, source)}`);
  }
  const checked = program.check();
  if (!checked.valid)
    throw new Error(`${field}: compilation failed: ${describeCelError(checked.error, source)}`);
  instrumentCost(program.ast);
  // The tree compiled into closures (compile-cel.ts): the same values, errors and cost as program().
  return { field, source, reads: referencedNames(program.ast), run: compileProgram(env, program) };
}

/** `<input>:LINE:COL: message`, the position cel-go prints, from cel-js's error range. */
export function describeCelError(error: unknown, source: string): string {
  const e = error as { summary?: string; message?: string; range?: { start?: number } };
  const summary = e.summary ?? e.message?.split('\n')[0] ?? String(error);
  const offset = e.range?.start;
  if (typeof offset !== 'number') return summary;
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `<input>:${line}:${column}: ${summary}`;
}
