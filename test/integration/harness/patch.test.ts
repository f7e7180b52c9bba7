import { describe, expect, it } from '@jest/globals';
import { jsonPatch, mergePatch } from '../../harness/kube-api/patch.js';
import { strategicMergePatch } from '../../harness/kube-api/strategic-merge.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    const result = mergePatch({ a: { b: 1, c: 2 }, list: [1, 2] }, { a: { c: null, d: 3 }, list: [3] });
    expect(result).toEqual({ a: { b: 1, d: 3 }, list: [3] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add, replace, remove, move, copy and test in order', () => {
    const result = jsonPatch({ a: [1, 2], b: { 'x/y': 1 } }, [
      { op: 'add', path: '/a/-', value: 3 },
      { op: 'replace', path: '/b/x~1y', value: 2 },
      { op: 'copy', from: '/a/0', path: '/c' },
      { op: 'move', from: '/c', path: '/d' },
      { op: 'remove', path: '/a/1' },
      { op: 'test', path: '/d', value: 1 },
    ]);
    expect(result).toEqual({ a: [1, 3], b: { 'x/y': 2 }, d: 1 });
  });

  it('fails the whole patch when a test fails', () => {
    expect(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(
      'testing value /a failed',
    );
  });
});

describe('strategic merge patch', () => {
  const deployment = {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1',
              ports: [{ containerPort: 80 }],
              env: [{ name: 'A', value: '1' }],
            },
            { name: 'sidecar', image: 'envoy:1' },
          ],
          tolerations: [{ key: 'a' }],
        },
      },
    },
    metadata: { finalizers: ['x'] },
  };

  it('merges containers by name and keeps the others', () => {
    const patch = {
      spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }] } } },
    };
    const result = strategicMergePatch(deployment, patch) as typeof deployment;
    expect(result.spec.template.spec.containers[0]).toEqual({
      name: 'web',
      image: 'nginx:1',
      ports: [{ containerPort: 80 }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    });
    expect(result.spec.template.spec.containers[1]!.name).toBe('sidecar');
  });

  it('deletes list items with $patch: delete and honours $setElementOrder', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            $setElementOrder_containers: undefined,
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }],
            containers: [{ name: 'web', ports: [{ containerPort: 80, $patch: 'delete' }] }],
          },
        },
      },
    };
    const result = strategicMergePatch(deployment, patch) as typeof deployment;
    expect(result.spec.template.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'web']);
    expect(result.spec.template.spec.containers[1]!.ports).toEqual([]);
  });

  it('replaces lists without a merge key and merges finalizers as a set', () => {
    const patch = {
      spec: { template: { spec: { tolerations: [{ key: 'b' }] } } },
      metadata: { finalizers: ['y'], '$deleteFromPrimitiveList/finalizers': ['x'] },
    };
    const result = strategicMergePatch(deployment, patch) as typeof deployment;
    expect(result.spec.template.spec.tolerations).toEqual([{ key: 'b' }]);
    expect(result.metadata.finalizers).toEqual(['y']);
  });

  it('replaces a map with $patch: replace and trims it with $retainKeys', () => {
    const replaced = strategicMergePatch({ a: { x: 1, y: 2 } }, { a: { $patch: 'replace', z: 3 } });
    expect(replaced).toEqual({ a: { z: 3 } });
    const retained = strategicMergePatch(
      { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
      },
    );
    expect(retained).toEqual({ strategy: { type: 'Recreate' } });
  });
});
