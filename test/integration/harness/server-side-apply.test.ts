import { describe, expect, it } from '@jest/globals';
import { serverSideApply } from '../../harness/kube-api/managed-fields.js';
import { KubeApiError } from '../../harness/kube-api/status.js';

const target = { group: '', resource: 'configmaps', name: 'cm' };
const cm = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm' },
  data,
});

describe('server-side apply field ownership', () => {
  it('removes fields a manager stops applying and keeps fields of others', () => {
    const first = serverSideApply(undefined, cm({ a: '1', b: '2' }), 'alpha', false, target);
    const shared = serverSideApply(first, cm({ c: '3' }), 'beta', false, target);
    const result = serverSideApply(shared, cm({ a: '1' }), 'alpha', false, target);
    expect(result.data).toEqual({ a: '1', c: '3' });
    expect(result.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'alpha',
        operation: 'Apply',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      }),
      expect.objectContaining({ manager: 'beta', operation: 'Apply', fieldsV1: { 'f:data': { 'f:c': {} } } }),
    ]);
  });

  it('conflicts on a field another manager owns with a different value, unless forced', () => {
    const first = serverSideApply(undefined, cm({ a: '1' }), 'alpha', false, target);
    expect(() => serverSideApply(first, cm({ a: '2' }), 'beta', false, target)).toThrow(KubeApiError);
    try {
      serverSideApply(first, cm({ a: '2' }), 'beta', false, target);
    } catch (error) {
      expect((error as KubeApiError).body).toMatchObject({
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "alpha" using v1: .data.a',
      });
    }
    const sameValue = serverSideApply(first, cm({ a: '1' }), 'beta', false, target);
    expect(sameValue.metadata?.managedFields).toHaveLength(2);
    const forced = serverSideApply(first, cm({ a: '2' }), 'beta', true, target);
    expect(forced.data).toEqual({ a: '2' });
    expect(forced.metadata?.managedFields).toEqual([expect.objectContaining({ manager: 'beta' })]);
  });
});
