import type { KubeObject } from '../../kube/types.js';
import { isRecord } from '../../kube/types.js';
import type { InputProblem } from '../../model/index.js';
import type { SourceText } from './read-sources.js';
import {
  expandedSizeExceeds,
  type LoadedDocument,
  lineAt,
  loadWithPositions,
  YAMLException,
} from './yaml-positions.js';

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

// Node count of a document with aliases expanded: far above any real object, far below a memory bomb.
const MAX_EXPANDED_NODES = 1_000_000;
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

/**
 * Parses multi-document YAML or JSON. `List` kinds are expanded into their items. A document that does
 * not parse is reported with its file and line, and the file's other documents are still read.
 */
export function parseManifests(source: SourceText): ParseResult {
  const result: ParseResult = { objects: [], problems: [] };
  for (const part of splitDocuments(source.text)) addDocument(part.text, part.firstLine, source.name, result);
  return result;
}

/** Splits on `---`/`...` lines so one broken document does not hide the others. */
function splitDocuments(text: string): Array<{ text: string; firstLine: number }> {
  const lines = text.split('\n');
  const parts: Array<{ text: string; firstLine: number }> = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !DOCUMENT_MARKER.test(lines[i]!)) continue;
    if (i > start) parts.push({ text: lines.slice(start, i).join('\n'), firstLine: start });
    // A `--- {…}` marker line carries content of its own: blank the marker, keep the rest.
    if (i < lines.length && lines[i]!.startsWith('---') && lines[i]!.slice(3).trim() !== '') {
      lines[i] = `   ${lines[i]!.slice(3)}`;
      start = i;
    } else {
      start = i + 1;
    }
  }
  return parts;
}

function addDocument(text: string, offset: number, file: string, result: ParseResult): void {
  let doc: LoadedDocument;
  try {
    doc = loadWithPositions(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = offset + (error.mark?.line ?? 0) + 1;
    result.problems.push({ source: file, line, message: `invalid YAML: ${error.reason}` });
    return;
  }
  if (doc.value === null || doc.value === undefined) return; // an empty or comment-only document
  const lineOf = (path: ObjectPath) => offset + lineAt(doc, path) + 1;
  if (/(^|[\s[{,])\*[^\s,\]}]/.test(text) && expandedSizeExceeds(doc.value, MAX_EXPANDED_NODES)) {
    result.problems.push({
      source: file,
      line: lineOf([]),
      message: 'refused: YAML aliases expand past a million nodes',
    });
    return;
  }
  if (!isRecord(doc.value)) {
    result.problems.push({
      source: file,
      line: lineOf([]),
      message: 'not a Kubernetes object (expected a mapping)',
    });
    return;
  }
  const value = doc.value;
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    for (const [index, item] of value.items.entries())
      addObject(item, file, ['items', index], lineOf, result);
    return;
  }
  addObject(value, file, [], lineOf, result);
}

function addObject(
  value: unknown,
  file: string,
  prefix: ObjectPath,
  lineOf: (path: ObjectPath) => number,
  result: ParseResult,
): void {
  if (!isRecord(value) || typeof value.kind !== 'string' || value.kind === '') {
    result.problems.push({
      source: file,
      line: lineOf(prefix),
      message: 'not a Kubernetes object: no "kind"',
    });
    return;
  }
  result.objects.push({
    object: value as KubeObject,
    file,
    line: lineOf(prefix),
    locate: (path) => lineOf([...prefix, ...path]),
  });
}
