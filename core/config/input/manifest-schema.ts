import * as jsYaml from 'js-yaml';

const { FAILSAFE_SCHEMA, Type } = jsYaml;
type Type = jsYaml.Type;

// js-yaml exports its built-in types as `types` (lib/index.js); @types/js-yaml does not declare it.
const types = (jsYaml as unknown as { types: Record<BuiltinType, Type> }).types;
type BuiltinType =
  | 'null'
  | 'bool'
  | 'int'
  | 'float'
  | 'timestamp'
  | 'merge'
  | 'binary'
  | 'omap'
  | 'pairs'
  | 'set';

/**
 * js-yaml's DEFAULT_SCHEMA (YAML 1.1 implicit null, bool, int, float, timestamp and merge keys;
 * binary, omap, pairs, set by tag), loading exactly the same values, only cheaper: js-yaml tries every
 * implicit type's `resolve` on every plain scalar — every mapping key and most values of a manifest —
 * and the float and timestamp resolvers each run a regular expression. Their patterns (js-yaml
 * lib/type/float.js, timestamp.js) cannot match a scalar that does not start with one of a few
 * characters, or (timestamps) is shorter than `YYYY-MM-DD`, so that is checked first.
 */
export const MANIFEST_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    types.null,
    types.bool,
    types.int,
    prefiltered(types.float, (data) => FLOAT_START.has(data.charCodeAt(0))),
    prefiltered(types.timestamp, (data) => data.length >= 10 && isDigit(data.charCodeAt(0))),
    types.merge,
  ],
  explicit: [types.binary, types.omap, types.pairs, types.set],
});

/**
 * The value js-yaml gives a plain (unquoted, untagged) scalar under MANIFEST_SCHEMA: the first implicit
 * type that resolves it constructs it, as js-yaml's composeNode does, else the text itself. Shared with
 * the block reader (block-yaml.ts) so both readers give one scalar one value.
 */
export function resolvePlainScalar(text: string): unknown {
  // Every implicit type's pattern starts with one of these (null `~`/n/N, bool t/T/f/F, int/float a sign,
  // digit or dot, merge `<`): any other first character is a string, with no resolver run.
  if (!IMPLICIT_START.has(text.charCodeAt(0))) return text;
  for (const type of IMPLICIT_TYPES) if (type.resolve(text)) return type.construct(text);
  return text;
}

const IMPLICIT_START = new Set([...'~nNtTfF<-+.0123456789'].map((c) => c.charCodeAt(0)));
// js-yaml keeps the schema's implicit types, in order, as `compiledImplicit` (lib/schema.js).
const IMPLICIT_TYPES = (MANIFEST_SCHEMA as unknown as { compiledImplicit: Type[] }).compiledImplicit;

// float.js YAML_FLOAT_PATTERN: a sign, a digit or a dot comes first in each alternative.
const FLOAT_START = new Set([...'-+.0123456789'].map((c) => c.charCodeAt(0)));

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `type` with `admits(data)` checked before its own resolver; `admits` only rejects what it would reject. */
function prefiltered(type: Type, admits: (data: string) => boolean): Type {
  return new Type((type as Type & { tag: string }).tag, {
    kind: type.kind ?? 'scalar',
    resolve: (data: unknown) =>
      data !== null && typeof data === 'string' && data.length > 0 && admits(data) && type.resolve(data),
    construct: type.construct,
    instanceOf: type.instanceOf ?? undefined,
    predicate: type.predicate ?? undefined,
    represent: type.represent,
    defaultStyle: type.defaultStyle,
  } as ConstructorParameters<typeof Type>[1]);
}
