import { badRequest, KubeApiError } from './status.js';

/** JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386), the two generic patch types the API takes. */
type Json = unknown;

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 §2: objects merge recursively, null deletes, anything else (arrays too) replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

// RFC 6901 §4: "~1" is "/" and "~0" is "~", decoded in that order.
function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw badRequest(`the JSON patch path ${JSON.stringify(path)} is not a JSON pointer`);
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: Json, tokens: string[], path: string): Json {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isObject(current)
        ? current[token]
        : undefined;
    if (current === undefined) throw patchError(`the path ${JSON.stringify(path)} does not exist`);
  }
  return current;
}

function patchError(message: string): KubeApiError {
  return new KubeApiError({
    ...badRequest('').body,
    code: 422,
    reason: 'Invalid',
    message: `jsonpatch: ${message}`,
  });
}

function arrayIndex(array: unknown[], token: string, forAdd: boolean, path: string): number {
  if (forAdd && token === '-') return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw patchError(`invalid array index in ${JSON.stringify(path)}`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length))
    throw patchError(`index out of range in ${path}`);
  return index;
}

function getAt(document: Json, path: string): Json {
  let current = document;
  for (const token of pointer(path)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isObject(current)
        ? current[token]
        : undefined;
    if (current === undefined) throw patchError(`the path ${JSON.stringify(path)} does not exist`);
  }
  return current;
}

function addAt(document: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return structuredClone(value);
  const parent = parentOf(document, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, path), 0, structuredClone(value));
  else if (isObject(parent)) parent[last] = structuredClone(value);
  else throw patchError(`the parent of ${JSON.stringify(path)} is not a container`);
  return document;
}

function removeAt(document: Json, path: string): Json {
  const tokens = pointer(path);
  const parent = parentOf(document, tokens, path);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false, path), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw patchError(`the path ${JSON.stringify(path)} does not exist`);
  return document;
}

/** RFC 6902 §4: add, remove, replace, move, copy, test, applied in order; any failure fails the whole patch. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const op of operations) {
    if (!isObject(op)) throw badRequest('a JSON patch operation must be an object');
    const path = String(op.path);
    switch (op.op) {
      case 'add':
        document = addAt(document, path, op.value);
        break;
      case 'remove':
        document = removeAt(document, path);
        break;
      case 'replace':
        getAt(document, path);
        document = path === '' ? structuredClone(op.value) : addAt(removeAt(document, path), path, op.value);
        break;
      case 'move': {
        const value = getAt(document, String(op.from));
        document = addAt(removeAt(document, String(op.from)), path, value);
        break;
      }
      case 'copy':
        document = addAt(document, path, getAt(document, String(op.from)));
        break;
      case 'test':
        if (JSON.stringify(getAt(document, path)) !== JSON.stringify(op.value)) {
          throw patchError(`testing value ${path} failed`);
        }
        break;
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return document;
}
