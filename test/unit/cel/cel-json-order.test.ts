import { describe, expect, it } from '@jest/globals';
import { celJson, celJsonOnce } from '../../../core/cel/cel-json.js';

// celJson walks plain objects with for-in (cel-json.ts): these pin that it reads exactly the own
// enumerable keys in Object.keys' order, as the Object.keys walk before it did, on random objects and
// with Object.prototype polluted.

/** The Object.keys walk celJson had before (main 1e83002's cel-json.ts), as the reference. */
function reference(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const next = reference(value[i]);
      if (next !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(next);
    }
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined =
    Object.getPrototypeOf(object) === Object.prototype ? undefined : {};
  for (const key of Object.keys(object)) {
    const item = object[key];
    const next = item === undefined ? undefined : reference(item);
    if (!out && next !== item) {
      out = {};
      for (const k of Object.keys(object)) {
        if (k === key) break;
        out[k] = object[k];
      }
    }
    if (out && next !== undefined) out[key] = next;
  }
  return out ?? object;
}

function hasInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  if (!value || typeof value !== 'object') return false;
  return Object.values(value).some(hasInteger);
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.3) return ['x', 7, 0.5, true, null, undefined, -3][Math.floor(next() * 7)];
  if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) {
    const key = ['name', '2', 'spec', '10', 'b', 'a', 'port', '0'][Math.floor(next() * 8)] as string;
    object[key] = randomValue(next, depth + 1);
  }
  return object;
}

/** Keys in order at every level, so that toEqual's order-blind comparison misses nothing. */
function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (!value || typeof value !== 'object') return value;
  return Object.keys(value).map((k) => [k, keyOrder((value as Record<string, unknown>)[k])]);
}

describe('celJson key walk', () => {
  it('converts like the Object.keys walk, in the same key order, on random objects', () => {
    const next = random(11);
    for (let i = 0; i < 500; i++) {
      const value = randomValue(next, 0);
      const converted = celJsonOnce(value);
      expect(keyOrder(converted)).toEqual(keyOrder(reference(value)));
      expect(converted === value).toBe(!hasInteger(value));
    }
  });

  it('reads only own keys when Object.prototype has an enumerable property', () => {
    const prototype = Object.prototype as Record<string, unknown>;
    prototype.polluted = 5;
    try {
      const converted = celJson({ spec: { replicas: 2, name: 'x' } }) as Record<string, unknown>;
      expect(keyOrder(converted)).toEqual([
        [
          'spec',
          [
            ['replicas', 2n],
            ['name', 'x'],
          ],
        ],
      ]);
      const plain = { name: 'x' };
      expect(celJsonOnce(plain)).toBe(plain);
    } finally {
      delete prototype.polluted;
    }
  });
});
