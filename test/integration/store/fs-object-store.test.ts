import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { InvalidObjectKeyError } from '../../../core/store/object-key.js';
import { objectStoreContract } from './object-store-contract.js';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'seco-fs-store-'));

objectStoreContract('filesystem', () => new FsObjectStore(tempRoot()));

describe('FsObjectStore', () => {
  it('leaves no temp files behind and keeps its work folder out of listings', async () => {
    const root = tempRoot();
    const store = new FsObjectStore(root);
    await store.put('a/b.json', '{}');
    expect(readdirSync(join(root, 'a'))).toEqual(['b.json']);
    expect(readdirSync(join(root, '.seco-tmp'))).toEqual([]);
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys).toEqual(['a/b.json']);
    await expect(store.put('.seco-tmp/x', 'y')).rejects.toThrow(/reserved/);
  });

  it('never reads or writes through a symbolic link that leads out of the root', async () => {
    const outside = tempRoot();
    writeFileSync(join(outside, 'secret'), 'top secret');
    const root = tempRoot();
    symlinkSync(outside, join(root, 'link'));
    const store = new FsObjectStore(root);
    await expect(store.get('link/secret')).rejects.toThrow(/symbolic link/);
    await expect(store.put('link/planted', 'x')).rejects.toThrow(InvalidObjectKeyError);
    expect(readdirSync(outside)).toEqual(['secret']);
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys).toEqual([]);
  });

  it('refuses a key whose prefix is already an object, saying why', async () => {
    const store = new FsObjectStore(tempRoot());
    await store.put('a', 'x');
    await expect(store.put('a/b', 'y')).rejects.toThrow(/prefix of it is already an object/);
    await store.put('c/d', 'x');
    await expect(store.put('c', 'y')).rejects.toThrow(/already a prefix of other objects/);
    expect(await store.get('c')).toBeUndefined();
  });

  // S3 lists in UTF-8 byte order (AWS S3 ListObjects); s3rver lists in its own file-walk order, so this is
  // checked on the filesystem store, whose walk must produce byte order itself.
  it('lists keys in byte order across folders, as S3 does', async () => {
    const store = new FsObjectStore(tempRoot());
    const keys = ['o/a/b', 'o/a-c', 'o/a.d', 'o/aa', 'o/b', 'o/é', 'list-other', 'list/k'];
    for (const k of keys) await store.put(k, 'x');
    const listed: string[] = [];
    for await (const key of store.list('')) listed.push(key);
    expect(listed).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    const under: string[] = [];
    for await (const key of store.list('list')) under.push(key);
    expect(under).toEqual(['list-other', 'list/k']);
  });

  it('removes folders a delete emptied, and keeps the root', async () => {
    const root = tempRoot();
    const store = new FsObjectStore(root);
    await store.put('scans/s1/jobs/j1', 'x');
    await store.delete('scans/s1/jobs/j1');
    expect(readdirSync(root).filter((n) => n !== '.seco-tmp')).toEqual([]);
    mkdirSync(join(root, 'plain-dir'));
    await store.delete('plain-dir');
    expect(readdirSync(root)).toContain('plain-dir');
  });
});
