import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadBlockYaml } from '../../../../core/config/input/block-yaml.js';
import { splitDocuments } from '../../../../core/config/input/parse-manifests.js';
import { type LoadedDocument, lineAt, loadWithJsYaml } from '../../../../core/config/input/yaml-positions.js';
import { generateManifests } from '../../../../tools/bench/generate-manifests.js';

// The block reader is a faster path to what js-yaml gives: on every document it takes, value and lines
// must be js-yaml's exactly; every document js-yaml refuses, it must decline.

const ROOT = join(import.meta.dirname, '../../../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const corpus: string[] = ['examples', 'test/fixtures']
  .flatMap((dir) => yamlFiles(join(ROOT, dir)))
  .flatMap((file) => splitDocuments(readFileSync(file, 'utf8')).map((part) => part.text));

type Reference = { doc: LoadedDocument } | { error: unknown };

function reference(text: string): Reference {
  try {
    return { doc: loadWithJsYaml(text) };
  } catch (error) {
    return { error };
  }
}

/** Every key and index path into `value`, parents first. */
function* paths(value: unknown, prefix: Array<string | number> = []): Generator<Array<string | number>> {
  if (typeof value !== 'object' || value === null || value instanceof Date) return;
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    yield path;
    yield* paths(child, path);
  }
}

/** Whether the block reader took `text`; throws (a failed expectation) where it disagrees with js-yaml. */
function agrees(text: string): boolean {
  const fast = loadBlockYaml(text);
  if (fast === undefined) return false;
  const ref = reference(text);
  if ('error' in ref)
    throw new Error(`block reader took a document js-yaml refuses (${String(ref.error)}):\n${text}`);
  expect(fast.value).toStrictEqual(ref.doc.value);
  expect(fast.rootLine).toBe(ref.doc.rootLine);
  // Each path, and below it a key and an index that are not there (a missing field points at its parent).
  for (const path of [[], ...paths(ref.doc.value)])
    for (const probe of [path, [...path, 'not-a-key'], [...path, 999], [...path, 0]])
      expect([probe, lineAt(fast, probe)]).toEqual([probe, lineAt(ref.doc, probe)]);
  return true;
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [
  ' ',
  '  ',
  ':',
  ': ',
  '- ',
  '-',
  '#',
  ' #',
  "'",
  '"',
  '\n',
  '\n  ',
  '{',
  '}',
  '[',
  ']',
  '{}',
  '[]',
  '&a ',
  '*a',
  '!',
  '!!str ',
  '|',
  '>-',
  '? ',
  ',',
  '\t',
  '\r',
  '\\',
  '0x1F',
  'true',
  '~',
  '<<: ',
  '__proto__: ',
  '2001-12-14',
  '"a\\n"',
  "'it''s'",
  'x: y',
  '\u00a0',
  '\ufeff',
  '\u0007',
  '...',
  '%',
  '@',
  ', ',
  ',',
  '[a, b]',
  '{a: b}',
  '{ a: [1, "2"] }',
  ': [',
  ']]',
  '[x: y]',
  '{a}',
  '[a, ]',
];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  switch (Math.floor(next() * 4)) {
    case 0:
      return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 6));
    case 2: {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      return `${text.slice(0, lineStart)}${' '.repeat(1 + Math.floor(next() * 3))}${text.slice(lineStart)}`;
    }
    default: {
      const lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const lineEnd = text.indexOf('\n', at);
      const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd + 1);
      return text.slice(0, lineStart) + line + (line.endsWith('\n') ? '' : '\n') + text.slice(lineStart);
    }
  }
}

describe('block YAML reader', () => {
  it("gives js-yaml's values and lines for the repository's manifests, and takes most of them", () => {
    const taken = corpus.filter(agrees).length;
    expect(corpus.length).toBeGreaterThan(500);
    expect(taken / corpus.length).toBeGreaterThan(0.8);
  });

  it('takes every generated benchmark manifest', () => {
    const documents = generateManifests(300, 10).files.flatMap((file) =>
      splitDocuments(file.text).map((part) => part.text),
    );
    for (const text of documents) expect(agrees(text)).toBe(true);
  });

  it('agrees with js-yaml on 6,000 mutated manifests, declining every one js-yaml refuses', () => {
    const next = random(14);
    let taken = 0;
    let refused = 0;
    for (let i = 0; i < 6000; i++) {
      let text = corpus[Math.floor(next() * corpus.length)]!;
      for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) text = mutate(text, next);
      if (agrees(text)) taken++;
      else if ('error' in reference(text)) refused++;
    }
    // Both outcomes are exercised: many mutants stay in the subset, many are errors js-yaml reports.
    expect(taken).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(500);
  });

  it.each([
    [
      'nested block mappings and sequences',
      'a:\n  b:\n    - c: 1\n      d: [] # x\n    - - 2\n      - 3\n    -   f: g\n        h: i\ne: {}\n',
    ],
    ['a sequence at its key’s indentation', 'a:\n- 1\n- 2\nb: 3\n'],
    ['quoted scalars', `a: 'it''s'\nb: "x: y # z"\nc: ''\n`],
    ['implicit scalars', 'a: 0x1F\nb: ~\nc: True\nd: 2001-12-14\ne: .inf\nf: 1_000\ng:\n'],
    [
      'comments and blank lines',
      '# head\na: 1 # one\n\n# at the key\nb:\n    # deeper\n  c: x#y\n  # at the key\n',
    ],
    [
      'one-line flow collections',
      `a: [ "sh", '-c', x y, 1 ]\nb: { drop: [ALL], add: [] }\nc:\n- [1, [2, {}]]\n`,
    ],
    [
      'literal block scalars',
      'a: |\n  one\n\n    two  \n   \n  # three\nb: |-\n  x\n\nc: |+\n  y\n\n\nd:\n- |\n  z\n- e\n',
    ],
    ['folded block scalars', 'a: >-\n  sha256:0123\n  4567 89\nb: >\n  x\n\n\nc: >+\n  y\n\n'],
    ['a keep-chomped scalar ending the document', 'a: |+\n  y\n\n'],
    ['quoted keys', `"8080":\n  mode: x\n'a b': 1\n`],
    ['keys with inner colons and spaces', 'a:b: 1\nmy key: http://x:8080/y\n'],
  ])('takes %s', (_name, text) => {
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a folded block scalar with a blank line', 'a: >\n  one\n\n  two\n'],
    ['a folded block scalar with a more indented line', 'a: >\n  one\n    two\n'],
    ['an indentation indicator', 'a: |2\n   text\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['a block scalar with more indented leading blank lines', 'a: |\n     \n  text\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a single-pair mapping in a flow sequence', 'a: [b: c]\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['a double-quoted escape', 'a: "\\n"\n'],
    ['a merge key', 'a: {}\n<<: {}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__: 1\n'],
    ['a non-string key', '1: a\n'],
    ['a tab', 'a:\t1\n'],
    ['CR line ends', 'a: 1\r\nb: 2\r\n'],
    ['a byte-order mark', '\ufeffa: 1\n'],
    ['a mapping value with a colon', 'a: b: c\n'],
    ['an empty sequence item', '- \n- a\n'],
    ['a root scalar', 'text\n'],
    ['an explicit key', '? a\n: b\n'],
  ])('declines %s', (_name, text) => {
    expect(loadBlockYaml(text)).toBeUndefined();
  });
  it("declines documents nested near js-yaml's depth limit, so js-yaml reports the ones past it", () => {
    const flow = (depth: number) => `kind: ConfigMap\nspec: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const block = (depth: number) =>
      `kind: ConfigMap\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} x\n`;
    // Shallow enough: taken, and the same as js-yaml's.
    expect(agrees(flow(60))).toBe(true);
    expect(agrees(block(60))).toBe(true);
    // Deeper than the subset takes: declined; past 100 js-yaml refuses them, with its own message.
    for (const text of [flow(95), block(95), flow(150), block(150), flow(3000)])
      expect(loadBlockYaml(text)).toBeUndefined();
    expect(reference(flow(150))).toMatchObject({
      error: expect.objectContaining({ message: expect.stringMatching(/maxDepth/) }),
    });
    expect(reference(block(150))).toMatchObject({
      error: expect.objectContaining({ message: expect.stringMatching(/maxDepth/) }),
    });
  });
});
