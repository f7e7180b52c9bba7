import { load, YAMLException } from 'js-yaml';

/** Where each mapping key and sequence item of a parsed YAML value starts (0-based lines). */
interface Positions {
  keys?: Map<string, number>;
  items?: number[];
}

export type PositionIndex = WeakMap<object, Positions>;

interface Frame {
  line: number;
  /** Child nodes' lines and values, allocated only for collections (scalars have none). */
  children?: Array<{ line: number; value: unknown }>;
}

export interface LoadedDocument {
  value: unknown;
  /** 0-based line of the document's root node. */
  rootLine: number;
  positions: PositionIndex;
}

/**
 * Loads one YAML document with js-yaml and records, through its node listener, the line of every
 * mapping key and sequence item, so a field path can be turned into a line without a full AST.
 * js-yaml is used for its speed (≈10× the `yaml` package's document API on Kubernetes manifests).
 */
export function loadWithPositions(text: string): LoadedDocument {
  const positions: PositionIndex = new WeakMap();
  const stack: Frame[] = [{ line: 0, children: [] }];
  const value = load(text, {
    listener(event, state) {
      if (event === 'open') {
        stack.push({ line: state.line });
        return;
      }
      const frame = stack.pop()!;
      const result: unknown = state.result;
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.children ??= [];
        parent.children.push({ line: frame.line, value: result });
      }
      if (typeof result === 'object' && result !== null) record(positions, result, frame);
    },
  });
  const root = stack[0]?.children?.at(-1);
  return { value, rootLine: firstLine(positions, value) ?? root?.line ?? 0, positions };
}

function record(positions: PositionIndex, result: object, frame: Frame): void {
  const children = frame.children ?? [];
  if (Array.isArray(result)) {
    if (children.length === result.length) positions.set(result, { items: children.map((c) => c.line) });
    return;
  }
  // A mapping's children come as key, value, key, value…; anything else (merge keys) gets no key lines.
  if (children.length % 2 !== 0) return;
  const keys = new Map<string, number>();
  for (let i = 0; i < children.length; i += 2) keys.set(String(children[i]!.value), children[i]!.line);
  positions.set(result, { keys });
}

function firstLine(positions: PositionIndex, value: unknown): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = positions.get(value);
  return p?.items?.[0] ?? (p?.keys ? Math.min(...p.keys.values()) : undefined);
}

/** The 0-based line of the deepest node along `path` that exists; a missing field points at its parent. */
export function lineAt(doc: LoadedDocument, path: ReadonlyArray<string | number>): number {
  let node: unknown = doc.value;
  let line = doc.rootLine;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) break;
    const p = doc.positions.get(node);
    const found = typeof key === 'number' ? p?.items?.[key] : p?.keys?.get(key);
    if (found === undefined) break;
    line = found;
    node = (node as Record<string | number, unknown>)[key];
  }
  return line;
}

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
