import { describe, expect, it } from '@jest/globals';
import {
  containersOf,
  describeContainer,
  podContainers,
  podTemplateOf,
} from '../../../core/kube/pod-template.js';
import type { KubeObject } from '../../../core/kube/types.js';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        initContainers: [{ name: 'setup', image: 'busybox' }],
        containers: [{ name: 'app', image: 'nginx' }, 'not a container', { image: 'sidecar' }],
        ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
      },
    },
  },
};

describe('podContainers', () => {
  it("lists the template's containers as containersOf does, once per template", () => {
    const pod = podTemplateOf(deployment)!;
    const first = podContainers(pod);
    expect(first).toEqual(containersOf(pod.spec));
    expect(first.map((e) => `${e.field}[${e.index}]`)).toEqual([
      'initContainers[0]',
      'containers[0]',
      'containers[2]',
      'ephemeralContainers[0]',
    ]);
    expect(podContainers(pod)).toBe(first);
  });

  it('lists afresh for another template of the same object', () => {
    const one = podTemplateOf(deployment)!;
    const other = podTemplateOf(deployment)!;
    expect(podContainers(other)).not.toBe(podContainers(one));
    expect(podContainers(other)).toEqual(podContainers(one));
  });

  it('leaves the template serialising as it did', () => {
    const pod = podTemplateOf(deployment)!;
    const before = JSON.stringify(pod);
    podContainers(pod).forEach(describeContainer);
    expect(JSON.stringify(pod)).toBe(before);
    expect(Object.keys(pod)).toEqual(['metadata', 'spec', 'specPath']);
  });
});

describe('describeContainer', () => {
  it('names a container as pod-security-admission does, a nameless one by its index', () => {
    const entries = podContainers(podTemplateOf(deployment)!);
    expect(entries.map(describeContainer)).toEqual([
      'init container "setup"',
      'container "app"',
      'container "#2"',
      'ephemeral container "debug"',
    ]);
    // Asked again (every check asks), the same text.
    expect(entries.map(describeContainer)).toEqual(entries.map(describeContainer));
    expect(Object.keys(entries[1]!)).toEqual(['container', 'field', 'index']);
  });
});

describe('podTemplateOf', () => {
  it('finds no template in kinds named like Object.prototype members', () => {
    for (const kind of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(podTemplateOf({ kind, metadata: { name: 'x' }, spec: { containers: [] } })).toBeUndefined();
  });

  it("shares each kind's spec path between templates", () => {
    const a = podTemplateOf(deployment)!;
    const b = podTemplateOf({ ...deployment, metadata: { name: 'other' } })!;
    expect(a.specPath).toEqual(['spec', 'template', 'spec']);
    expect(b.specPath).toBe(a.specPath);
  });
});
