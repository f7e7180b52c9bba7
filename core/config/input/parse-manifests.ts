import type { KubeObject } from '../../kube/types.js';
import { isRecord } from '../../kube/types.js';
import type { InputProblem } from '../../model/index.js';
import { loadBlockYaml } from './block-yaml.js';
import type { SourceText } from './read-sources.js';
import { ALIAS, expandedSizeExceeds, lineAt, loadWithJsYaml, YAMLException } from './yaml-positions.js';

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
// Sticky, tried at each line's start: `$` is the end of the text, and a newline after the marker is `\s`.
const DOCUMENT_MARKER = /(---|\.\.\.)(\s|$)/y;

/**
 * Parses multi-document YAML or JSON. `List` kinds are expanded into their items. A document that does
 * not parse is reported with its file and line, and the file's other documents are still read.
 */
export function parseManifests(source: SourceText): ParseResult {
  const result: ParseResult = { objects: [], problems: [] };
  for (const document of parseManifestDocuments(source)) {
    for (const object of document.objects) result.objects.push(object);
    for (const problem of document.problems) result.problems.push(problem);
  }
  return result;
}

/**
 * `parseManifests` one document at a time: what each document holds, handed over before the next is
 * read. A streamed scan checks and drops each document's objects, so only one document's tree (and
 * its position index) is alive while the scan allocates: a whole file's trees kept alive across the
 * young-generation collections its checks cause were copied by each of them.
 */
export function* parseManifestDocuments(source: SourceText): Generator<ParseResult> {
  for (const part of splitDocuments(source.text)) {
    const result: ParseResult = { objects: [], problems: [] };
    addDocument(part.text, part.firstLine, source.name, result);
    yield result;
  }
}

/**
 * Splits on `---`/`...` lines so one broken document does not hide the others. Walks the text by
 * line offsets and slices each document once: splitting into lines and joining them back cost a
 * string per line of every manifest.
 */
export function splitDocuments(text: string): Array<{ text: string; firstLine: number }> {
  const parts: Array<{ text: string; firstLine: number }> = [];
  let line = 0; // index of the line starting at `at`
  let at = 0;
  let startLine = 0; // first line of the document being read
  let startAt = 0; // its offset, past a blanked `---` when it began on a `--- {…}` line
  let prefix = ''; // the blanked marker, then
  for (;;) {
    const newline = text.indexOf('\n', at);
    const end = newline < 0 ? text.length : newline;
    DOCUMENT_MARKER.lastIndex = at;
    if (DOCUMENT_MARKER.test(text)) {
      if (line > startLine) parts.push({ text: prefix + text.slice(startAt, at - 1), firstLine: startLine });
      // A `--- {…}` marker line carries content of its own: blank the marker, keep the rest.
      if (text.startsWith('---', at) && text.slice(at + 3, end).trim() !== '') {
        startLine = line;
        startAt = at + 3;
        prefix = '   ';
      } else {
        startLine = line + 1;
        startAt = end + 1;
        prefix = '';
      }
    }
    if (newline < 0) break;
    at = newline + 1;
    line++;
  }
  if (line + 1 > startLine) parts.push({ text: prefix + text.slice(startAt), firstLine: startLine });
  return parts;
}

function addDocument(text: string, offset: number, file: string, result: ParseResult): void {
  // The block reader takes no document with an alias, so only js-yaml's need the expansion guard.
  let doc = loadBlockYaml(text);
  const mayHaveAliases = doc === undefined;
  try {
    doc ??= loadWithJsYaml(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = offset + (error.mark?.line ?? 0) + 1;
    result.problems.push({ source: file, line, message: `invalid YAML: ${error.reason}` });
    return;
  }
  if (doc.value === null || doc.value === undefined) return; // an empty or comment-only document
  const lineOf = (path: ObjectPath) => offset + lineAt(doc, path) + 1;
  if (mayHaveAliases && ALIAS.test(text) && expandedSizeExceeds(doc.value, MAX_EXPANDED_NODES)) {
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
    // A document's own object (no `items` prefix) locates its paths as they are: no copy per finding.
    locate: prefix.length === 0 ? lineOf : (path) => lineOf([...prefix, ...path]),
  });
}
