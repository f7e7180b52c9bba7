import { describe, expect, it } from '@jest/globals';
import { parseFieldSelector, parseLabelSelector } from '../../harness/kube-api/selectors.js';
import { KubeApiError } from '../../harness/kube-api/status.js';

const pod = (labels: Record<string, string>, nodeName = 'n1', phase = 'Running') => ({
  metadata: { name: 'p', namespace: 'ns', labels },
  spec: { nodeName },
  status: { phase },
});

describe('label selectors', () => {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app notin (web,db)', {}, true],
    ['tier', { tier: 'x' }, true],
    ['!tier', { tier: 'x' }, false],
    ['app=web,!canary', { app: 'web', canary: 'true' }, false],
    ['app.kubernetes.io/name=seco', { 'app.kubernetes.io/name': 'seco' }, true],
    ['replicas>2', { replicas: '3' }, true],
  ];
  it.each(cases)('%s on %j matches: %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(pod(labels))).toBe(expected);
  });

  it('rejects a malformed selector with 400 BadRequest', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(KubeApiError);
    try {
      parseLabelSelector('=x');
    } catch (error) {
      expect((error as KubeApiError).code).toBe(400);
    }
  });
});

describe('field selectors', () => {
  it('matches pod fields the API supports', () => {
    expect(parseFieldSelector('spec.nodeName=n1,status.phase!=Pending', 'Pod')(pod({}))).toBe(true);
    expect(parseFieldSelector('metadata.name==p,metadata.namespace=other', 'Pod')(pod({}))).toBe(false);
  });

  it('refuses field labels the kind does not support', () => {
    expect(() => parseFieldSelector('spec.nodeName=n1', 'Deployment')).toThrow(
      'field label not supported: spec.nodeName',
    );
  });
});
