import { describe, expect, it } from '@jest/globals';
import { celJson } from '../../../core/cel/cel-json.js';

describe('celJson: an unstructured object as CEL reads it', () => {
  it('makes whole numbers int and leaves other numbers double', () => {
    expect(celJson({ spec: { replicas: 3, ratio: 0.5, ports: [{ port: 80 }] } })).toEqual({
      spec: { replicas: 3n, ratio: 0.5, ports: [{ port: 80n }] },
    });
    expect(celJson(7)).toBe(7n);
  });

  it('shares the parts without numbers instead of copying them, and never writes to its input', () => {
    const labels = { app: 'web' };
    const containers = [{ name: 'web', image: 'nginx' }];
    const object = { metadata: { labels }, spec: { containers, replicas: 2 } };
    const converted = celJson(object) as typeof object;
    expect(converted).not.toBe(object);
    expect(converted.metadata).toBe(object.metadata);
    expect(converted.spec.containers).toBe(containers);
    expect(object.spec.replicas).toBe(2);
    expect(celJson({ a: ['x'] })).toEqual({ a: ['x'] });
  });

  it('keeps field order, drops undefined fields and reads a Date (a YAML timestamp) as a map of its own fields', () => {
    const converted = celJson({ a: 'x', b: 1, c: undefined, d: 'y' }) as Record<string, unknown>;
    expect(Object.keys(converted)).toEqual(['a', 'b', 'd']);
    expect(celJson({ when: new Date(0) })).toEqual({ when: {} });
  });

  it('converts a top-level object once', () => {
    const params = { maxReplicas: 5 };
    expect(celJson(params)).toBe(celJson(params));
  });
});
