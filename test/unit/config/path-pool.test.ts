import { describe, expect, it } from '@jest/globals';
import { formatPath, PathPool } from '../../../core/config/path-pool.js';

describe('PathPool', () => {
  it('formats a path as findings print it', () => {
    const pool = new PathPool();
    expect(pool.format(['spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(
      'spec.containers[0].securityContext.privileged',
    );
    expect(pool.format([])).toBe('');
    expect(pool.format(['metadata'])).toBe('metadata');
  });

  it('gives the same text for equal paths and tells a numeric key from an index', () => {
    const pool = new PathPool();
    const first = pool.format(['spec', 'volumes', 1, 'hostPath']);
    expect(pool.format(['spec', 'volumes', 1, 'hostPath'])).toBe(first);
    expect(pool.format(['data', '1'])).toBe('data.1');
    expect(pool.format(['data', 1])).toBe('data[1]');
    expect(pool.format(['spec', 'volumes'])).toBe('spec.volumes');
  });

  it('agrees with formatPath', () => {
    const path = ['spec', 'template', 'spec', 'initContainers', 2, 'env', 0, 'value'];
    expect(new PathPool().format(path)).toBe(formatPath(path));
  });
});
