import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../kube/types.js';
import { isRecord } from '../../kube/types.js';
import { loadBlockYaml } from './block-yaml.js';
import { MANIFEST_SCHEMA } from './manifest-schema.js';
import type { SourceText } from './read-sources.js';
import { ALIAS } from './yaml-positions.js';

// A document's kind, when it is written as a top-level `kind:` line (block YAML, as nearly every
// manifest is). Documents where it is not found (JSON, flow style, anchors) are parsed to find out.
const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(?:#.*)?$/m;
const DOCUMENT_START = /^---[ \t]*(?:#.*)?$/m;

/**
 * The objects of `kinds` in a file, found without parsing the rest: documents whose `kind:` line
 * names another kind are skipped unparsed. This is the first, cheap pass of a streamed scan: the
 * context that cross-object checks need (NetworkPolicies, RBAC, Namespaces…) before any file is checked.
 * Parse errors are left to the full parse of the second pass, which reports them.
 */
export function contextObjectsOf(source: SourceText, kinds: ReadonlySet<string>): KubeObject[] {
  if (![...kinds].some((kind) => source.text.includes(kind))) return [];
  const found: KubeObject[] = [];
  for (const document of source.text.split(DOCUMENT_START)) {
    const kind = KIND_LINE.exec(document)?.[1];
    if (kind !== undefined && !kinds.has(kind)) continue;
    for (const value of parseDocuments(document))
      for (const object of Array.isArray(value) ? value : [value])
        if (isRecord(object) && kinds.has(String(object.kind))) found.push(object as KubeObject);
    // `kind: List` wrappers are rare in files; their items are found by the full parse only.
  }
  return found;
}

/**
 * The documents' values, or none when they do not parse. The block reader takes what it can (the full
 * parse reads with it first too); js-yaml (several times faster than `yaml`) other documents without aliases; a document with aliases goes through `yaml`,
 * whose alias count limit refuses expansion bombs before they are built.
 */
function parseDocuments(text: string): unknown[] {
  const block = loadBlockYaml(text);
  if (block !== undefined) return block.value === null ? [] : [block.value];
  if (!ALIAS.test(text)) {
    try {
      return loadAll(text, null, { schema: MANIFEST_SCHEMA });
    } catch {
      return [];
    }
  }
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text);
  } catch {
    return [];
  }
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) continue;
    try {
      values.push(doc.toJS({ maxAliasCount: 100 }));
    } catch {
      // an alias bomb: the full parse refuses it with a problem
    }
  }
  return values;
}
