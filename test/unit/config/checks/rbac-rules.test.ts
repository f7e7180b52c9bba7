import { describe, expect, it } from '@jest/globals';
import { escalatingVerbs } from '../../../../core/config/checks/rbac-escalation-verbs.js';
import { execSubresources } from '../../../../core/config/checks/rbac-pods-exec.js';
import { grantedVerbs, type Rule, rulesOf } from '../../../../core/config/checks/rbac-rules.js';
import { secretReadVerbs } from '../../../../core/config/checks/rbac-secrets-read.js';

const rule = (r: Partial<Rule>): Rule => ({
  index: 0,
  apiGroups: [],
  resources: [],
  verbs: [],
  resourceNames: [],
  nonResourceURLs: [],
  ...r,
});

describe('grantedVerbs (Kubernetes RBAC rule matching)', () => {
  it.each([
    [
      'an exact resource in the core group',
      rule({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }),
      ['get'],
    ],
    ['every resource', rule({ apiGroups: [''], resources: ['*'], verbs: ['list'] }), ['list']],
    ['every group', rule({ apiGroups: ['*'], resources: ['secrets'], verbs: ['watch'] }), ['watch']],
    ['every verb', rule({ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }), ['get', 'list', 'watch']],
    ['another group only', rule({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] }), []],
    ['no group at all', rule({ resources: ['secrets'], verbs: ['get'] }), []],
    ['other verbs only', rule({ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] }), []],
    [
      'a subresource of secrets only',
      rule({ apiGroups: [''], resources: ['secrets/status'], verbs: ['get'] }),
      [],
    ],
  ])('on secrets with %s', (_what, r, expected) => {
    expect(grantedVerbs(r, { group: '', resource: 'secrets' }, ['get', 'list', 'watch'])).toEqual(expected);
  });

  it('matches a subresource exactly or through */<subresource>, never through pods/*', () => {
    const exec = { group: '', resource: 'pods', subresource: 'exec' };
    expect(
      grantedVerbs(rule({ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }), exec, ['create']),
    ).toEqual(['create']);
    expect(
      grantedVerbs(rule({ apiGroups: [''], resources: ['*/exec'], verbs: ['create'] }), exec, ['create']),
    ).toEqual(['create']);
    expect(
      grantedVerbs(rule({ apiGroups: [''], resources: ['pods/*'], verbs: ['create'] }), exec, ['create']),
    ).toEqual([]);
    expect(
      grantedVerbs(rule({ apiGroups: [''], resources: ['pods'], verbs: ['create'] }), exec, ['create']),
    ).toEqual([]);
  });
});

describe('dangerous rule predicates', () => {
  it('does not count a secrets rule narrowed by resourceNames as reading every Secret', () => {
    expect(
      secretReadVerbs(
        rule({ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] }),
      ),
    ).toEqual([]);
  });

  it('counts get on pods/exec as exec, since WebSocket upgrades are GETs', () => {
    expect(
      execSubresources(rule({ apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['get'] })),
    ).toEqual(['pods/exec', 'pods/attach']);
  });

  it('finds escalation verbs only where they take effect', () => {
    const rbac = 'rbac.authorization.k8s.io';
    expect(
      escalatingVerbs(rule({ apiGroups: [rbac], resources: ['clusterroles'], verbs: ['bind', 'escalate'] })),
    ).toEqual(['escalate', 'bind']);
    expect(escalatingVerbs(rule({ apiGroups: [rbac], resources: ['roles'], verbs: ['*'] }))).toEqual([
      'escalate',
      'bind',
    ]);
    expect(
      escalatingVerbs(rule({ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] })),
    ).toEqual(['impersonate']);
    expect(escalatingVerbs(rule({ apiGroups: [''], resources: ['pods'], verbs: ['bind'] }))).toEqual([]);
    expect(
      escalatingVerbs(rule({ apiGroups: [rbac], resources: ['rolebindings'], verbs: ['create'] })),
    ).toEqual([]);
  });
});

describe('rulesOf', () => {
  it('keeps each rule index and drops what is not a rule or not a string', () => {
    const rules = rulesOf({
      kind: 'Role',
      rules: [null, { apiGroups: [''], resources: ['pods', 7], verbs: 'get' }, 'x'],
    });
    expect(rules).toEqual([
      { index: 1, apiGroups: [''], resources: ['pods'], verbs: [], resourceNames: [], nonResourceURLs: [] },
    ]);
    expect(rulesOf({ kind: 'Role', rules: 'all' })).toEqual([]);
  });
});
