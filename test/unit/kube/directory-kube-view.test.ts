import { describe, expect, it } from '@jest/globals';
import { DirectoryKubeView } from '../../../core/kube/directory-kube-view.js';
import { parseSelectorString } from '../../../core/kube/selector-string.js';

describe('DirectoryKubeView', () => {
  it('lists objects by kind, namespace and kubectl-style label selector, and gets by name', async () => {
    const view = await DirectoryKubeView.load('test/fixtures/kube-view');
    const names = async (opts: Parameters<typeof view.list>[1]) =>
      (await view.list('Pod', opts)).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`);
    expect(await names({})).toEqual(['shop/web-1', 'shop/api-1', 'other/web-1']);
    expect(await names({ namespace: 'shop' })).toEqual(['shop/web-1', 'shop/api-1']);
    expect(await names({ namespace: 'shop', labelSelector: 'app=web' })).toEqual(['shop/web-1']);
    expect(await names({ labelSelector: 'app in (web,api),!tier' })).toEqual(['shop/api-1', 'other/web-1']);
    expect((await view.get('Deployment', 'shop', 'web'))?.metadata?.labels).toEqual({
      app: 'web',
      tier: 'front',
    });
    expect(await view.get('Deployment', 'shop', 'nope')).toBeUndefined();
    expect(view.problems).toEqual([]);
  });
});

describe('parseSelectorString', () => {
  it('reads every kubectl selector form', () => {
    expect(parseSelectorString('a=b,c==d,e!=f,g in (h, i),j notin (k),l,!m').matchExpressions).toEqual([
      { key: 'a', operator: 'In', values: ['b'] },
      { key: 'c', operator: 'In', values: ['d'] },
      { key: 'e', operator: 'NotIn', values: ['f'] },
      { key: 'g', operator: 'In', values: ['h', 'i'] },
      { key: 'j', operator: 'NotIn', values: ['k'] },
      { key: 'l', operator: 'Exists' },
      { key: 'm', operator: 'DoesNotExist' },
    ]);
  });

  it('names a selector it cannot read', () => {
    expect(() => parseSelectorString('app=web,$(rm -rf)')).toThrow(
      'invalid label selector "app=web,$(rm -rf)" at "$(rm -rf)"',
    );
  });
});
