import { describe, expect, it } from '@jest/globals';
import { requestResourceOf } from '../../../core/admission/kube-resource.js';
import {
  decidedByResource,
  type MatchRequest,
  matchesResources,
  mayMatchResource,
} from '../../../core/admission/match-resources.js';
import { MatchResources } from '../../../core/model/index.js';

// review-object.ts skips matchesResources for a candidate whose match its resource alone decides:
// for such a match, matchesResources must say what mayMatchResource said, on every request.

const rule = (resources: string[], extra: Record<string, unknown> = {}) => ({
  apiGroups: ['', 'apps'],
  apiVersions: ['v1'],
  operations: ['CREATE'],
  resources,
  ...extra,
});

const MATCHES = [
  { resourceRules: [rule(['pods', 'deployments'])] },
  { resourceRules: [rule(['*'])], excludeResourceRules: [rule(['pods'])] },
  { resourceRules: [rule(['deployments'], { scope: 'Cluster' })] },
  { resourceRules: [rule(['pods'])], objectSelector: { matchLabels: { app: 'web' } } },
  { resourceRules: [rule(['pods'])], namespaceSelector: {} },
  { resourceRules: [rule(['pods'], { resourceNames: ['a'] })] },
  { resourceRules: [rule(['pods'])], excludeResourceRules: [rule(['pods'], { resourceNames: ['b'] })] },
].map((m) => MatchResources.parse(m));

const REQUESTS: MatchRequest[] = [
  ['v1', 'Pod', 'a', { app: 'web' }],
  ['v1', 'Pod', 'b', {}],
  ['apps/v1', 'Deployment', 'a', { app: 'web' }],
  ['v1', 'Service', 'a', {}],
  ['v1', 'Namespace', 'shop', {}],
].map(([apiVersion, kind, name, labels]) => ({
  resource: requestResourceOf({ apiVersion, kind } as never),
  name: name as string,
  namespace: 'shop',
  labels: labels as Record<string, unknown>,
  namespaceLabels: {},
}));

describe('decidedByResource', () => {
  it('holds only without selectors and names', () => {
    expect(MATCHES.map(decidedByResource)).toEqual([true, true, true, false, false, false, false]);
    expect(decidedByResource(undefined)).toBe(false);
  });

  it('gives a decided match the verdict mayMatchResource gave, on every request', () => {
    for (const match of MATCHES.filter(decidedByResource))
      for (const request of REQUESTS)
        expect(matchesResources(match, request)).toBe(mayMatchResource(match, request));
  });
});
