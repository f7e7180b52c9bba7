/**
 * Where the block reader (block-yaml.ts) read each node of a document, as one flat array in document
 * order, written as it reads:
 *   a mapping:   MAPPING, end, then per entry: the key's line, the key, the value's node
 *   a sequence:  SEQUENCE, end, then per item: the item's line, the item's node
 *   a leaf:      LEAF (a scalar, or a flow collection written on one line: its children share its line)
 * `end` is the offset just past the collection's last node, so a lookup skips a sibling's subtree in
 * one step. One array per document, against js-yaml's index of a children array per collection in a
 * Map (yaml-positions.ts): that index was a tenth of the block reader's time and most of its garbage.
 */
export type PositionRecord = Array<number | string>;

export const LEAF = -1;
export const MAPPING = -2;
export const SEQUENCE = -3;

/**
 * The last lookup's walk: the node reached and its line after each of its first `depth` keys. A
 * lookup in the same record resumes after the keys it shares with it: a scan locates each finding as
 * it is made, and the findings on one container share every key but the last few.
 */
const last = {
  record: undefined as PositionRecord | undefined,
  keys: [] as Array<string | number>,
  nodes: [0],
  lines: [0],
  depth: 0,
};

/**
 * The 0-based line of the deepest node along `path` that exists, as yaml-positions.ts `lineAt` gives
 * it for js-yaml's index: a mapping key's line, a sequence item's line, or the root's.
 */
export function lineInRecord(
  record: PositionRecord,
  rootLine: number,
  path: ReadonlyArray<string | number>,
): number {
  let depth = 0;
  if (last.record === record) {
    const shared = Math.min(path.length, last.depth);
    while (depth < shared && path[depth] === last.keys[depth]) depth++;
  } else {
    last.record = record;
    last.lines[0] = rootLine;
  }
  let at = last.nodes[depth]!; // the node being descended into
  let line = last.lines[depth]!;
  for (; depth < path.length; depth++) {
    const key = path[depth]!;
    const tag = record[at];
    let found = -1;
    if (tag === MAPPING) {
      found = findEntry(record, at, key);
      if (found >= 0) at = found + 2;
    } else if (tag === SEQUENCE) {
      found = findItem(record, at, key);
      if (found >= 0) at = found + 1;
    }
    if (found < 0) break;
    line = record[found] as number;
    last.keys[depth] = key;
    last.nodes[depth + 1] = at;
    last.lines[depth + 1] = line;
  }
  last.depth = depth;
  return line;
}

/** The offset of the entry (its key's line) of the mapping at `at` whose key is `key`, or -1. */
function findEntry(record: PositionRecord, at: number, key: string | number): number {
  const end = record[at + 1] as number;
  for (let entry = at + 2; entry < end; entry = nodeEnd(record, entry + 2))
    if (record[entry + 1] === key) return entry;
  return -1;
}

/** The offset of item `index` (its line) of the sequence at `at`, or -1. */
function findItem(record: PositionRecord, at: number, index: string | number): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return -1;
  const end = record[at + 1] as number;
  let item = at + 2;
  for (let i = 0; i < index && item < end; i++) item = nodeEnd(record, item + 1);
  return item < end ? item : -1;
}

function nodeEnd(record: PositionRecord, node: number): number {
  return record[node] === LEAF ? node + 1 : (record[node + 1] as number);
}
