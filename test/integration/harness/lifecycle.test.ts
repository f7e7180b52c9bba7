import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { raw, watchFor } from './raw-request.js';

const PODS = '/api/v1/namespaces/work/pods';
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: 'worker' }, ...extra },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('object lifecycle in the API harness', () => {
  let api: RunningKubeApi;

  beforeAll(async () => {
    api = await startKubeApi({ seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'work' } }] });
  });
  afterAll(async () => api.stop());

  it('fills uid, creationTimestamp, resourceVersion and defaults on create', async () => {
    const created = await raw(api, PODS, { method: 'POST', body: pod('a') });
    expect(created.status).toBe(201);
    const meta = created.json!.metadata as Record<string, unknown>;
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(meta.resourceVersion)).toBe(api.store.resourceVersion);
    expect(created.json!.spec).toMatchObject({
      restartPolicy: 'Always',
      containers: [{ imagePullPolicy: 'Always' }],
    });
  });

  it('keeps status out of main-resource writes and takes it through /status', async () => {
    await raw(api, `${PODS}/a`, {
      method: 'PATCH',
      body: { status: { phase: 'Running' } },
      contentType: 'application/merge-patch+json',
    });
    expect(api.store.find('v1', 'Pod', 'work', 'a')!.status).toEqual({ phase: 'Pending' });
    const status = await raw(api, `${PODS}/a/status`, {
      method: 'PATCH',
      body: { status: { phase: 'Running' } },
      contentType: 'application/merge-patch+json',
    });
    expect(status.json!.status).toEqual({ phase: 'Running' });
  });

  it('refuses creates in a missing namespace and bodies for another namespace', async () => {
    const missing = await raw(api, '/api/v1/namespaces/nowhere/pods', { method: 'POST', body: pod('x') });
    expect(missing.json).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
    const mismatch = await raw(api, PODS, { method: 'POST', body: pod('x', { namespace: 'other' }) });
    expect(mismatch.json).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('answers 415 for media types the API does not take and 422 for a bad name', async () => {
    const media = await raw(api, `${PODS}/a`, { method: 'PATCH', body: '{}', contentType: 'text/plain' });
    expect(media.status).toBe(415);
    const name = await raw(api, PODS, { method: 'POST', body: pod('Bad_Name') });
    expect(name.json).toMatchObject({
      code: 422,
      reason: 'Invalid',
      details: { causes: [{ field: 'metadata.name' }] },
    });
  });

  it('holds an object with finalizers until the last one is removed', async () => {
    await raw(api, PODS, { method: 'POST', body: pod('held', { finalizers: ['seco.dev/cleanup'] }) });
    const deleting = await raw(api, `${PODS}/held`, { method: 'DELETE' });
    expect((deleting.json!.metadata as Record<string, unknown>).deletionTimestamp).toBeDefined();
    expect(api.store.find('v1', 'Pod', 'work', 'held')).toBeDefined();
    await raw(api, `${PODS}/held`, {
      method: 'PATCH',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
      contentType: 'application/json-patch+json',
    });
    expect(api.store.find('v1', 'Pod', 'work', 'held')).toBeUndefined();
  });

  it('deletes a collection by label selector', async () => {
    await raw(api, PODS, { method: 'POST', body: pod('b') });
    await raw(api, PODS, {
      method: 'POST',
      body: { ...pod('other'), metadata: { name: 'other', labels: { app: 'x' } } },
    });
    const deleted = await raw(api, `${PODS}?labelSelector=app%3Dworker`, { method: 'DELETE' });
    expect((deleted.json!.items as unknown[]).length).toBe(2);
    const left = api.store.all().filter((o) => o.kind === 'Pod' && o.metadata?.namespace === 'work');
    expect(left.map((p) => p.metadata?.name)).toEqual(['other']);
  });

  it('sends initial events and the initial-events-end bookmark to a streaming list', async () => {
    const events = await watchFor(
      api,
      `${PODS}?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`,
      300,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'BOOKMARK']);
    expect(events[1]!.object).toMatchObject({
      metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
  });

  it('tells a selector watch that a relabelled object left it', async () => {
    const from = api.store.resourceVersion;
    await raw(api, `${PODS}/other`, {
      method: 'PATCH',
      body: { metadata: { labels: { app: 'worker' } } },
      contentType: 'application/merge-patch+json',
    });
    await raw(api, `${PODS}/other`, {
      method: 'PATCH',
      body: { metadata: { labels: { app: 'gone' } } },
      contentType: 'application/merge-patch+json',
    });
    const events = await watchFor(
      api,
      `${PODS}?watch=true&resourceVersion=${from}&labelSelector=app%3Dworker`,
      200,
    );
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    await raw(api, `${PODS}/other`, {
      method: 'PATCH',
      body: { metadata: { labels: { app: 'x' } } },
      contentType: 'application/merge-patch+json',
    });
  });

  it('serves kubectl tables for a single object', async () => {
    const table = await raw(api, `${PODS}/other`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(table.json).toMatchObject({
      kind: 'Table',
      rows: [{ cells: ['other', '0/1', 'Pending', 0, expect.any(String), '<none>', '<none>'] }],
    });
  });

  it('turns a deleted namespace Terminating, refuses new content, then removes it', async () => {
    await raw(api, '/api/v1/namespaces/work', { method: 'DELETE' });
    expect(api.store.find('v1', 'Namespace', '', 'work')!.status).toEqual({ phase: 'Terminating' });
    const refused = await raw(api, PODS, { method: 'POST', body: pod('late') });
    expect(refused.json).toMatchObject({ code: 403, reason: 'Forbidden' });
    await new Promise((r) => setTimeout(r, 250));
    expect(api.store.find('v1', 'Namespace', '', 'work')).toBeUndefined();
    expect(api.store.find('v1', 'Pod', 'work', 'other')).toBeUndefined();
  });
});
