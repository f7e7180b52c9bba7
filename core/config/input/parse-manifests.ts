import { type Document, isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import type { InputProblem } from '../../model/index.js';
import type { SourceText } from './read-sources.js';

export type ObjectPath = ReadonlyArray<string | number>;

/** A Kubernetes object read from a file, able to say which line a field of it is on. */
export interface ManifestObject {
  object: KubeObject;
  file: string;
  /** 1-based line where the object starts. */
  line: number;
  /** 1-based line of the deepest existing node along `path` (relative to the object). */
  locate(path: ObjectPath): number;
}

export interface ParseResult {
  objects: ManifestObject[];
  problems: InputProblem[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses multi-document YAML or JSON (JSON is read as YAML, which keeps line numbers). `List` kinds
 * are expanded into their items. A document that does not parse is reported with its file and line,
 * and the file's other documents are still read.
 */
export function parseManifests(source: SourceText): ParseResult {
  const result: ParseResult = { objects: [], problems: [] };
  const lineCounter = new LineCounter();
  // uniqueKeys and maxAliasCount guard against duplicate-key ambiguity and alias ("billion laughs") bombs.
  const documents = parseAllDocuments(source.text, { lineCounter, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  if (!Array.isArray(documents)) {
    result.problems.push({ source: source.name, message: 'no YAML documents found' });
  }
  for (const doc of list) {
    const firstError = doc.errors[0];
    if (firstError) {
      const line = lineCounter.linePos(firstError.pos[0]).line;
      result.problems.push({
        source: source.name,
        line,
        message: `invalid YAML: ${firstError.message.split('\n')[0]}`,
      });
      continue;
    }
    addDocument(doc, source.name, lineCounter, result);
  }
  return result;
}

function addDocument(doc: Document, file: string, lineCounter: LineCounter, result: ParseResult): void {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const line = doc.contents ? lineCounter.linePos(doc.contents.range?.[0] ?? 0).line : undefined;
    result.problems.push({ source: file, line, message: `invalid YAML: ${(error as Error).message}` });
    return;
  }
  if (value === null || value === undefined) return; // an empty document, e.g. after a trailing `---`
  const lineAt = (path: ObjectPath) => lineOf(doc, path, lineCounter);
  if (!isRecord(value)) {
    result.problems.push({
      source: file,
      line: lineAt([]),
      message: 'not a Kubernetes object (expected a mapping)',
    });
    return;
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    for (const [index, item] of value.items.entries())
      addObject(item, file, ['items', index], lineAt, result);
    return;
  }
  addObject(value, file, [], lineAt, result);
}

function addObject(
  value: unknown,
  file: string,
  prefix: ObjectPath,
  lineAt: (path: ObjectPath) => number,
  result: ParseResult,
): void {
  if (!isRecord(value) || typeof value.kind !== 'string' || value.kind === '') {
    result.problems.push({
      source: file,
      line: lineAt(prefix),
      message: 'not a Kubernetes object: no "kind"',
    });
    return;
  }
  result.objects.push({
    object: value as KubeObject,
    file,
    line: lineAt(prefix),
    locate: (path) => lineAt([...prefix, ...path]),
  });
}

/** The line of the deepest node of `path` that exists: a missing field points at its parent. */
function lineOf(doc: Document, path: ObjectPath, lineCounter: LineCounter): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const key of path) {
    let child: unknown;
    if (isSeq(node) && typeof key === 'number') {
      child = node.items[key];
      offset = rangeStart(child) ?? offset;
    } else if (isMap(node) && typeof key === 'string') {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) break;
      // A mapping entry's line is its key's line: that is where a reader looks.
      offset = rangeStart(pair.key) ?? offset;
      child = pair.value;
    } else {
      break;
    }
    if (!isNode(child)) break;
    node = child;
  }
  return lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}
