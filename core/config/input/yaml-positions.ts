import { load, YAMLException } from 'js-yaml';
import { MANIFEST_SCHEMA } from './manifest-schema.js';
import { lineInRecord, type PositionRecord } from './position-record.js';

/**
 * A collection's children as they were read, flat: [line, value, line, value, …]. For a sequence the
 * pairs are its items; for a mapping they alternate key, value. Kept as read — no per-node objects —
 * because this is recorded for every collection of every manifest, on the scan's hottest path.
 */
type Children = unknown[];

// A Map, not a WeakMap: the index lives exactly as long as its document, and a WeakMap's entries are
// ephemerons that every garbage collection must trace specially (one per collection of every manifest).
export type PositionIndex = Map<object, Children>;

export interface LoadedDocument {
  value: unknown;
  /** 0-based line of the document's root node. */
  rootLine: number;
  /** js-yaml's index, or the block reader's record (position-record.ts). */
  positions: PositionIndex | PositionRecord;
}

/**
 * Loads one YAML document with js-yaml and records, through its node listener, the line of every
 * mapping key and sequence item, so a field path can be turned into a line without a full AST.
 * js-yaml reads what the block reader (block-yaml.ts) declines, for its speed (≈10× the `yaml`
 * package's document API on Kubernetes manifests).
 */
export function loadWithJsYaml(text: string): LoadedDocument {
  const positions: PositionIndex = new Map();
  const lines: number[] = [0];
  const children: Array<Children | undefined> = [[]];
  const value = load(text, {
    schema: MANIFEST_SCHEMA,
    listener(event, state) {
      if (event === 'open') {
        lines.push(state.line);
        children.push(undefined);
        return;
      }
      const line = lines.pop()!;
      const own = children.pop();
      const result: unknown = state.result;
      const depth = children.length - 1;
      if (depth >= 0) {
        const parent = children[depth] ?? [];
        children[depth] = parent;
        parent.push(line, result);
      }
      // js-yaml closes a flow collection twice (the collection, then the node wrapping it): keep the first.
      if (typeof result === 'object' && result !== null && own && !positions.has(result))
        positions.set(result, own);
    },
  });
  return { value, rootLine: firstLine(positions, value) ?? 0, positions };
}

function firstLine(positions: PositionIndex, value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const first = positions.get(value)?.[0];
  return typeof first === 'number' ? first : undefined;
}

/** The line of `key` in a collection's children; mappings hold key/value pairs of pairs, sequences items. */
function childLine(node: object, kids: Children, key: string | number): number | undefined {
  if (Array.isArray(node)) {
    // A sequence with merge-like irregularities has a different count: then its lines cannot be trusted.
    if (typeof key !== 'number' || kids.length !== node.length * 2) return undefined;
    return kids[key * 2] as number;
  }
  for (let i = 0; i + 3 < kids.length + 1; i += 4) if (kids[i + 1] === key) return kids[i] as number;
  return undefined;
}

/** The 0-based line of the deepest node along `path` that exists; a missing field points at its parent. */
export function lineAt(doc: LoadedDocument, path: ReadonlyArray<string | number>): number {
  const positions = doc.positions;
  if (Array.isArray(positions)) return lineInRecord(positions, doc.rootLine, path);
  let node: unknown = doc.value;
  let line = doc.rootLine;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) break;
    const kids = positions.get(node);
    const found = kids ? childLine(node, kids, key) : undefined;
    if (found === undefined) break;
    line = found;
    node = (node as Record<string | number, unknown>)[key];
  }
  return line;
}

/** An alias (`*name`) anywhere in a document's text: only then can its value be larger than its text. */
export const ALIAS = /(^|[\s[{,])\*[^\s,\]}]/;

/** Counts nodes as if aliases were expanded, stopping at `limit`: guards against "billion laughs" documents. */
export function expandedSizeExceeds(value: unknown, limit: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++count > limit) return true;
    if (typeof node === 'object' && node !== null) for (const child of Object.values(node)) stack.push(child);
  }
  return false;
}

export { YAMLException };
