import { describe, expect, it } from '@jest/globals';
import { formatPath, PathNode, PathPool, pathNode } from '../../../core/config/path-pool.js';

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

describe('PathNode', () => {
  it('builds each path once and prints it as formatPath does', () => {
    const spec = pathNode(['spec', 'template', 'spec']);
    const node = spec.child('containers').child(0).below(['securityContext', 'privileged']);
    expect(node.path).toEqual(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']);
    expect(node.text).toBe(formatPath(node.path));
    expect(node.text).toBe('spec.template.spec.containers[0].securityContext.privileged');
    expect(pathNode(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(
      node,
    );
    expect(spec.child('containers').child(0).child('securityContext').child('privileged').path).toBe(
      node.path,
    );
  });

  it('tells a numeric key from an index, and prints a leading index in brackets', () => {
    const root = PathNode.root();
    expect(root.below(['data', '1']).text).toBe('data.1');
    expect(root.below(['data', 1]).text).toBe('data[1]');
    expect(root.below([0, 'name']).text).toBe(formatPath([0, 'name']));
    expect(root.text).toBe('');
  });

  it('gives the pool its text without a walk, and hides it from comparisons and serialisation', () => {
    const node = PathNode.root().below(['spec', 'volumes', 2, 'hostPath']);
    expect(new PathPool().format(node.path)).toBe('spec.volumes[2].hostPath');
    expect(Object.keys(node.path)).toEqual(['0', '1', '2', '3']);
    expect(JSON.stringify(node.path)).toBe('["spec","volumes",2,"hostPath"]');
    expect(node.path).toEqual(['spec', 'volumes', 2, 'hostPath']);
  });

  it('stays correct past the number of nodes it shares', () => {
    const first = pathNode(['spec', 'containers', 0]);
    for (let i = 0; i < 70_000; i++) pathNode(['env', i]);
    expect(first.child('image').text).toBe('spec.containers[0].image');
    expect(pathNode(['spec', 'containers', 0]).text).toBe('spec.containers[0]');
  });
});
