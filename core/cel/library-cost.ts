import { chargeCost } from './cel-cost.js';
import { isCelMap } from './cel-values.js';

// The runtime cost Kubernetes charges its library functions (k8s.io/apiserver/pkg/cel/library/cost.go,
// CallCost), on top of the one unit cel-cost.ts counts for the call's node. cel-go sizes a string
// by its code points, except in traversalCost, which counts bytes.

const TRAVERSAL_FACTOR = 0.1; // cel-go's common.StringTraversalCostFactor
const REGEX_FACTOR = 0.25; // common.RegexStringLengthCostFactor: a regex term is about 4 characters

function codePoints(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff) surrogates++;
  }
  return text.length - surrogates;
}

/** A parse or scan of one string argument (url, quantity, ip, cidr, …): ⌈n × 0.1 × times⌉. */
export function chargeStringScan(text: string, times = 1): void {
  chargeCost(Math.ceil(codePoints(text) * TRAVERSAL_FACTOR * times));
}

/** find/findAll: the string's scan (one more than its length) times the pattern's estimated terms. */
export function chargeRegex(text: string, pattern: string): void {
  const scan = Math.ceil((1 + codePoints(text)) * TRAVERSAL_FACTOR);
  chargeCost(scan * Math.ceil(codePoints(pattern) * REGEX_FACTOR));
}

/** isSorted, sum, min, max, indexOf, lastIndexOf: one traversal of the list as a data tree. */
export function chargeTraversal(value: unknown): void {
  chargeCost(traversalCost(value));
}

function traversalCost(value: unknown): number {
  if (typeof value === 'string') return Math.floor(Buffer.byteLength(value, 'utf8') * TRAVERSAL_FACTOR);
  if (value instanceof Uint8Array) return Math.floor(value.length * TRAVERSAL_FACTOR);
  if (Array.isArray(value)) return value.reduce<number>((cost, item) => cost + traversalCost(item), 0);
  if (isCelMap(value)) {
    const entries = value instanceof Map ? [...value] : Object.entries(value);
    return entries.reduce<number>((cost, [k, v]) => cost + traversalCost(k) + traversalCost(v), 0);
  }
  return 1;
}
