import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Optional } from '@marcbachmann/cel-js';
import { parseAllDocuments } from 'yaml';
import { CostLimitExceeded, instrumentCost, metered } from '../../../core/cel/cel-cost.js';
import { celJson } from '../../../core/cel/cel-json.js';
import { compileProgram } from '../../../core/cel/compile-cel.js';
import { kubernetesCelEnv } from '../../../core/cel/kubernetes-cel-env.js';
import { benchPolicies } from '../../../tools/bench/bench-policies.js';
import { generateManifests } from '../../../tools/bench/generate-manifests.js';

// Differential test of compile-cel.ts: every expression of the CEL tests, the admission fixtures,
// examples/ and the bench policies, on many objects (generated workloads and hostile shapes), gives
// the same value or error (class, code, message) and the same cost through cel-js's tree walk and
// through the compiled closures — at the full limit and at limits that cut the evaluation short.

const NAMES = ['object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'];
const env = kubernetesCelEnv(NAMES);
const ROOT = join(import.meta.dirname, '../../..');

function files(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/** Every CEL expression of the ValidatingAdmissionPolicies in a YAML text. */
function policyExpressions(text: string): string[] {
  const out: string[] = [];
  for (const document of parseAllDocuments(text)) {
    const object = document.toJS() as { kind?: string; spec?: Record<string, unknown> } | null;
    if (object?.kind !== 'ValidatingAdmissionPolicy' || !object.spec) continue;
    const spec = object.spec as Record<string, Array<Record<string, unknown>> | undefined>;
    for (const key of ['matchConditions', 'variables', 'validations', 'auditAnnotations'])
      for (const entry of spec[key] ?? [])
        for (const field of ['expression', 'messageExpression', 'valueExpression'])
          if (typeof entry[field] === 'string') out.push(entry[field] as string);
  }
  return out;
}

/** The template literals without substitutions in the CEL unit tests (those that are CEL). */
function testExpressions(): string[] {
  const out: string[] = [];
  for (const path of files(join(ROOT, 'test/unit/cel'), /\.test\.ts$/)) {
    if (path.endsWith('compile-cel.test.ts')) continue;
    for (const match of readFileSync(path, 'utf8').matchAll(/`([^`$\\]*)`/g)) out.push(match[1] as string);
  }
  return out;
}

// Every operator and macro, and their error paths, beyond what the fixtures use.
const EDGE_CASES = [
  `object.spec.replicas / 0`,
  `object.spec.replicas % 0`,
  `-object.spec.replicas`,
  `9223372036854775807 + object.spec.replicas`,
  `object.missing.field`,
  `object.spec.containers[100]`,
  `object.spec.containers[-1].name`,
  `object.metadata.name || true`,
  `object.missing || true`,
  `object.missing || false`,
  `true || object.missing`,
  `false || object.missing`,
  `object.missing && false`,
  `object.missing && true`,
  `1 == 1 && object.metadata.name`,
  `object.metadata.name && true`,
  `object.metadata.name ? 1 : 2`,
  `object.missing ? 1 : 2`,
  `object.kind == 'Pod' ? object.spec.containers : object.spec.template.spec.containers`,
  `object.metadata.labels.all(k, k.startsWith('a'))`,
  `object.metadata.labels.exists(k, object.metadata.labels[k] == 'web')`,
  `object.spec.template.spec.containers.exists(c, c.missing == 1)`,
  `object.spec.template.spec.containers.all(c, c.missing == 1)`,
  `object.spec.template.spec.containers.all(c, c.name)`,
  `object.spec.template.spec.containers.exists_one(c, c.name.startsWith('app'))`,
  `object.spec.template.spec.containers.exists_one(c, c.missing)`,
  `object.spec.template.spec.containers.map(c, c.name)`,
  `object.spec.template.spec.containers.map(c, c.name == 'x', c.image)`,
  `object.spec.template.spec.containers.map(c, c.name, c.image)`,
  `object.spec.template.spec.containers.filter(c, has(c.resources))`,
  `object.spec.template.spec.containers.filter(c, c.name)`,
  `object.metadata.name.all(c, true)`,
  `object.spec.template.spec.containers.map(c, c.?ports.orValue([]).map(p, p.containerPort)).all(l, l.all(p, p < 65536))`,
  `has(object.spec.template.spec.securityContext.runAsUser)`,
  `has(object.missing.field)`,
  `has(object.metadata.name)`,
  `object.?spec.?template.?spec.?hostNetwork.orValue(false)`,
  `object.?spec.?replicas.or(optional.of(3)).value()`,
  `object.?spec.?replicas.or(object.spec)`,
  `object.spec.orValue(1)`,
  `optional.none().or(optional.none()).hasValue()`,
  `object.?metadata.?labels[?'app'].orValue('none')`,
  `object.spec[?'replicas'].orValue(0) + 1`,
  `cel.bind(c, object.spec.template.spec.containers, c.size() + c.size())`,
  `cel.bind(x, object.missing, 1)`,
  `{'a': object.metadata.name, '__proto__': 1, 'constructor': 2}`,
  `{object.metadata.name: 1, 'b': object.missing}`,
  `{}`,
  `[]`,
  `[object.metadata.name, object.missing]`,
  `[1, 2, 3].map(x, x * 2)`,
  `size(object.spec.template.spec.containers) > 1`,
  `object.spec.template.spec.containers.size()`,
  `'app' in object.metadata.labels`,
  `object.metadata.name in ['a', 'b']`,
  `!object.metadata.name`,
  `!has(object.spec.selector)`,
  `object.metadata.name.matches('^[a-z]+$')`,
  `quantity(object.spec.template.spec.containers[0].resources.limits.memory).isGreaterThan(quantity('1Gi'))`,
  `string(object.spec.replicas) + '/' + object.metadata.name`,
  `int(object.spec.replicas) <= 20 && double(object.spec.replicas) < 20.5`,
  `object.spec.template.spec.containers.all(c, c.image.split(':').size() == 2)`,
  `[1, 2, 3].all(a, [1, 2, 3].all(b, a * b < 10))`,
  `variables.containers.all(c, c.image.contains('@sha256:'))`,
  `params.maxReplicas >= object.spec.replicas`,
  `request.operation == 'CREATE'`,
  `object.metadata.labels.map(k, k + '=' + object.metadata.labels[k]).join(',')`,
];

function allExpressions(): string[] {
  const out = new Set<string>(EDGE_CASES);
  for (const text of [
    benchPolicies(),
    ...files(join(ROOT, 'test/fixtures'), /\.ya?ml$/).map((p) => readFileSync(p, 'utf8')),
    ...files(join(ROOT, 'examples'), /\.ya?ml$/).map((p) => readFileSync(p, 'utf8')),
  ])
    for (const expression of policyExpressions(text)) out.add(expression);
  for (const expression of testExpressions()) out.add(expression);
  return [...out];
}

interface Program {
  source: string;
  walk: (activation: Record<string, unknown>) => unknown;
  compiled: (activation: Record<string, unknown>) => unknown;
}

/** The expressions that parse and type-check, each with both evaluations of one instrumented tree. */
function programs(): Program[] {
  const out: Program[] = [];
  for (const source of allExpressions()) {
    let program: ReturnType<typeof env.parse>;
    try {
      program = env.parse(source);
    } catch {
      continue;
    }
    if (!program.check().valid) continue;
    instrumentCost(program.ast);
    out.push({ source, walk: (activation) => program(activation), compiled: compileProgram(env, program) });
  }
  return out;
}

function objects(): unknown[] {
  const generated = generateManifests(60, 30, 7).files.flatMap((file) =>
    parseAllDocuments(file.text).map((d) => d.toJS()),
  );
  const hostile: unknown[] = [
    {},
    { kind: 'Pod', spec: null },
    { kind: 'Pod', metadata: { name: 42, labels: 'x' }, spec: { containers: 'x' } },
    { kind: 'Pod', metadata: { labels: { app: 'web', b: 'c' } }, spec: { containers: [{}, null, 3] } },
    { kind: 'Deployment', spec: { replicas: 1.5, template: { spec: { containers: [{ name: 7 }] } } } },
    {
      kind: 'Deployment',
      metadata: { name: 'a', labels: {} },
      spec: {
        replicas: 2 ** 63, // past int64: cel-js's overflow handling
        template: {
          spec: { containers: [{ name: 'app', image: 'x:1', resources: { limits: { memory: 'bad' } } }] },
        },
      },
    },
    { kind: 'Service', spec: { type: 'LoadBalancer', ports: [{ name: 'Bad_Name' }, { port: 80 }] } },
    [],
    'text',
  ];
  return [...generated, ...hostile];
}

function activation(object: unknown, params: unknown): Record<string, unknown> {
  const converted = celJson(object) as Record<string, unknown> | null;
  const spec =
    converted && typeof converted === 'object' ? (converted.spec as Record<string, unknown>) : undefined;
  const template = spec?.template as { spec?: { containers?: unknown } } | undefined;
  return {
    object: converted,
    oldObject: null,
    request: { operation: 'CREATE', userInfo: { username: 'dev' } },
    params,
    namespaceObject: null,
    variables: { containers: template?.spec?.containers ?? spec?.containers ?? [] },
  };
}

/** A value as text, Optionals, bigints, Maps and bytes included (toEqual does not see Optional's value). */
function describeValue(value: unknown): string {
  if (value instanceof Optional) return `optional(${value.hasValue() ? describeValue(value.value()) : ''})`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Map)
    return `map(${[...value].map(([k, v]) => `${describeValue(k)}:${describeValue(v)}`)})`;
  if (value instanceof Uint8Array) return `bytes(${[...value]})`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(',')}]`;
  if (value && typeof value === 'object') {
    const fields = Object.keys(value).map(
      (k) => `${k}:${describeValue((value as Record<string, unknown>)[k])}`,
    );
    return `${value.constructor?.name ?? 'null-proto'}{${fields.join(',')}}`;
  }
  return `${typeof value}:${String(value)}`;
}

function outcome(
  run: (a: Record<string, unknown>) => unknown,
  input: Record<string, unknown>,
  limit: number,
) {
  const account = { spent: 0 };
  try {
    const value = metered(limit, { run }, input, account);
    return { value: describeValue(value), cost: account.spent };
  } catch (error) {
    const e = error as Error & { code?: string };
    const limitHit = error instanceof CostLimitExceeded ? `limit ${error.limit}` : '';
    return { error: `${e?.constructor?.name}|${e?.code}|${e?.message}|${limitHit}`, cost: account.spent };
  }
}

describe('compiled CEL against cel-js', () => {
  const compiledPrograms = programs();
  const inputs = objects();
  const params = [null, celJson({ maxReplicas: 5 })];

  it('compiles the fixtures, tests and bench expressions', () => {
    // Guards the collection itself: a broken extraction would make the comparison below vacuous.
    expect(compiledPrograms.length).toBeGreaterThan(150);
    expect(inputs.length).toBeGreaterThan(60);
  });

  it('gives the same value or error and the same cost on every object', () => {
    let compared = 0;
    let failed = 0;
    for (const program of compiledPrograms)
      for (const [i, object] of inputs.entries()) {
        const input = activation(object, params[i % 2]);
        const walked = outcome(program.walk, input, Number.POSITIVE_INFINITY);
        const compiled = outcome(program.compiled, input, Number.POSITIVE_INFINITY);
        expect({ source: program.source, object: i, ...compiled }).toEqual({
          source: program.source,
          object: i,
          ...walked,
        });
        if (walked.error) failed++;
        compared++;
      }
    // Both outcomes occur: values and errors are compared, not only one kind.
    expect(failed).toBeGreaterThan(100);
    expect(compared - failed).toBeGreaterThan(1000);
  });

  it('stops at the same point under every smaller cost limit', () => {
    for (const program of compiledPrograms)
      for (const object of inputs.slice(0, 8).concat(inputs.slice(-9))) {
        const input = activation(object, null);
        const full = outcome(program.walk, input, Number.POSITIVE_INFINITY).cost;
        const limits = new Set([0, 1, 2, Math.floor(full / 2), full - 1, full]);
        for (const limit of limits) {
          if (limit < 0) continue;
          expect({ source: program.source, limit, ...outcome(program.compiled, input, limit) }).toEqual({
            source: program.source,
            limit,
            ...outcome(program.walk, input, limit),
          });
        }
      }
  });
});
