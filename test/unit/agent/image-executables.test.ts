import { describe, expect, it } from '@jest/globals';
import { imageExecutablesLookup, imageIdDigest } from '../../../agent/image-executables.js';
import { sbomKey } from '../../../core/image/sbom-cache.js';
import type { ObjectStore } from '../../../core/store/object-store.js';

const hex = 'a'.repeat(64);
const digest = `sha256:${hex}`;
const sbom = JSON.stringify({
  metadata: { properties: [{ name: 'seco:executables', value: JSON.stringify(['/usr/bin/app']) }] },
});

/** A store holding at most one SBOM, counting reads; `fail` makes every call throw. */
function storeWith(text: string | undefined, fail = false) {
  const calls = { stat: 0 };
  const store = {
    stat: async (key: string) => {
      calls.stat++;
      if (fail) throw new Error('connection refused');
      return text !== undefined && key === sbomKey(digest)
        ? { size: text.length, modified: new Date() }
        : undefined;
    },
    get: async () => (text === undefined ? undefined : Buffer.from(text)),
  } as unknown as ObjectStore;
  return { store, calls };
}

describe('imageIdDigest', () => {
  it.each([
    [`docker-pullable://registry.example/app@${digest}`, digest],
    [`registry.example/app@${digest}`, digest],
    [digest, undefined], // a runtime's local image id, not a manifest digest
    ['registry.example/app:1.0', undefined],
  ])('%s → %s', (id, expected) => expect(imageIdDigest(id)).toBe(expected));
});

describe('imageExecutablesLookup', () => {
  it('reads the stored list once per digest', async () => {
    const { store, calls } = storeWith(sbom);
    const lookup = imageExecutablesLookup(store, () => {});
    const id = `registry.example/app@${digest}`;
    const [a, b] = await Promise.all([lookup(id), lookup(id)]);
    expect(a).toEqual(new Set(['/usr/bin/app']));
    expect(b).toBe(a);
    expect(await lookup(`docker-pullable://${id}`)).toBe(a);
    expect(calls.stat).toBe(1);
  });

  it('believes "no SBOM" for a minute only', async () => {
    const { store, calls } = storeWith(undefined);
    let clock = 0;
    const lookup = imageExecutablesLookup(store, () => {}, { now: () => clock });
    expect(await lookup(`r@${digest}`)).toBeUndefined();
    clock = 59_000;
    await lookup(`r@${digest}`);
    expect(calls.stat).toBe(1);
    clock = 61_000;
    await lookup(`r@${digest}`);
    expect(calls.stat).toBe(2);
  });

  it('keeps at most maxEntries digests', async () => {
    const { store, calls } = storeWith(undefined);
    const lookup = imageExecutablesLookup(store, () => {}, { maxEntries: 2 });
    for (const c of ['1', '2', '3', '1']) await lookup(`r@sha256:${c.repeat(64)}`);
    expect(calls.stat).toBe(4); // '1' was dropped when '3' came
  });

  it('never throws on a store error, and logs it once', async () => {
    const { store } = storeWith(sbom, true);
    const lines: string[] = [];
    const lookup = imageExecutablesLookup(store, (l) => lines.push(l), { negativeTtlMs: 0 });
    expect(await lookup(`r@${digest}`)).toBeUndefined();
    expect(await lookup(`r@${digest}`)).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('connection refused');
  });
});
