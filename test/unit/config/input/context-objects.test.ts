import { describe, expect, it } from '@jest/globals';
import { contextObjectsOf } from '../../../../core/config/input/context-objects.js';

const kinds = new Set(['NetworkPolicy', 'Role']);

describe('the first pass of a streamed scan: context objects only', () => {
  it('parses only documents of the context kinds, and those whose kind line it cannot see', () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: [unclosed',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy # deny all\nmetadata: {name: deny}\nspec: {podSelector: {}}',
      '{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"}}',
    ].join('\n---\n');
    const found = contextObjectsOf({ name: 'f.yaml', text }, kinds);
    // The broken Deployment is never parsed here: its error is the full parse's to report.
    expect(found.map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['NetworkPolicy/deny', 'Role/reader']);
  });

  it('skips files that name no context kind, and survives documents that do not parse', () => {
    expect(
      contextObjectsOf({ name: 'a.yaml', text: 'kind: Deployment\nmetadata: {name: x}\n' }, kinds),
    ).toEqual([]);
    expect(contextObjectsOf({ name: 'b.yaml', text: 'kind: Role\nrules: [\n' }, kinds)).toEqual([]);
    const bomb = `kind: Role\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(200)}*a]\n`;
    expect(contextObjectsOf({ name: 'c.yaml', text: bomb }, kinds)).toEqual([]);
  });
});
