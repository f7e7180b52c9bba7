import type { ResourceRef } from './finding.js';

/**
 * A finding's stable id: rule + the identity of the resource + package@version, hashed to 64 bits
 * (two 32-bit FNV-1a variants with different offsets). Stable across runs and machines; not a secret,
 * so no cryptographic hash is needed, and this runs once per finding on hot paths. Source file and
 * line are left out on purpose, so moving a manifest does not make an old finding look new.
 */
export function fingerprint(
  ruleId: string,
  resource: ResourceRef,
  pkg?: { name: string; version: string },
): string {
  // The two hashes of the identity string `[ruleId, cluster, namespace, kind, name, container, node,
  // image, name@version].join('\u0000')`, fed part by part: joining first cost a string per finding.
  const hashes = HASHES;
  const start = ruleState(ruleId);
  hashes[0] = start[0]!;
  hashes[1] = start[1]!;
  feedSeparated(hashes, resource.cluster);
  feedSeparated(hashes, resource.namespace);
  feedSeparated(hashes, resource.kind);
  feedSeparated(hashes, resource.name);
  feedSeparated(hashes, resource.container);
  feedSeparated(hashes, resource.node);
  feedSeparated(hashes, resource.image);
  feedSeparated(hashes, pkg ? `${pkg.name}@${pkg.version}` : undefined);
  return hex64(avalanche(hashes[0]!), avalanche(hashes[1]!));
}

/** The two running hashes, filled in place: ids are made for every finding of a scan. */
const HASHES = [0, 0];

// Both hashes after the rule id, kept per rule: a scan makes ids for a few dozen rules hundreds of
// thousands of times. Emptied past RULE_LIMIT rules (policy names come from input).
const RULE_LIMIT = 4096;
const ruleStates = new Map<string, readonly number[]>();

function ruleState(ruleId: string): readonly number[] {
  let state = ruleStates.get(ruleId);
  if (state === undefined) {
    const hashes = [0x811c9dc5, (0x01000193 ^ 0x9e3779b9) >>> 0];
    feed(hashes, ruleId);
    if (ruleStates.size >= RULE_LIMIT) ruleStates.clear();
    state = hashes;
    ruleStates.set(ruleId, state);
  }
  return state;
}

/** FNV-1a over `text`, both hashes at once. */
function feed(hashes: number[], text: string): void {
  let a = hashes[0]!;
  let b = hashes[1]!;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193);
  }
  hashes[0] = a;
  hashes[1] = b;
}

/** The NUL separator, then the part (absent parts are empty). */
function feedSeparated(hashes: number[], text: string | undefined): void {
  hashes[0] = Math.imul(hashes[0]!, 0x01000193); // ^ 0 is a no-op: NUL's code is 0
  hashes[1] = Math.imul(hashes[1]!, 0x01000193);
  // String() as join() did: a hostile manifest's `kind: 5` still hashes as "5".
  if (typeof text === 'string') feed(hashes, text);
  else if (text !== undefined && text !== null) feed(hashes, String(text));
}

// Final avalanche (murmur3 fmix32) so near-identical inputs differ in every hex digit.
function avalanche(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

// Char codes of '0'–'9', 'a'–'f'.
const HEX_DIGIT = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** The digits of one id, filled in place: ids are made for every finding of a scan. */
const DIGITS = new Array<number>(16).fill(0);

/**
 * 16 lower-case hex digits of two 32-bit numbers, as one flat string: String.fromCharCode builds it in
 * one allocation, where concatenated pieces made a tree of cons strings that every finding kept (and
 * that had to be flattened to be hashed or compared). Number#toString(16) + padStart showed in
 * profiles of large scans too.
 */
function hex64(high: number, low: number): string {
  for (let i = 0; i < 8; i++) {
    const shift = 28 - 4 * i;
    DIGITS[i] = HEX_DIGIT[(high >>> shift) & 15]!;
    DIGITS[i + 8] = HEX_DIGIT[(low >>> shift) & 15]!;
  }
  return String.fromCharCode.apply(null, DIGITS);
}
