import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuthenticationV1Api, AuthorizationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { kubectl } from './run-kubectl.js';

const ALICE = { username: 'alice', groups: ['devs'] };

function client<T>(api: RunningKubeApi, user: string | undefined, type: new (...args: never[]) => T): T {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath(user));
  return kc.makeApiClient(type as never) as T;
}

describe('authentication and authorization in the API harness', () => {
  let api: RunningKubeApi;

  beforeAll(async () => {
    api = await startKubeApi({
      tokens: { 'alice-token': ALICE },
      rules: [
        {
          effect: 'deny',
          users: ['alice'],
          verbs: ['delete'],
          resources: ['pods'],
          reason: 'no deleting pods',
        },
        { effect: 'allow', groups: ['devs'], verbs: ['get', 'list', 'watch', 'create'] },
        { effect: 'deny', users: ['*'] },
      ],
    });
  });
  afterAll(async () => api.stop());

  it('answers 401 Unauthorized without a token', async () => {
    const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = httpsRequest(`${api.url}/api/v1/pods`, { ca: api.caCert }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status.code).toBe(401);
    expect(JSON.parse(status.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('makes kubectl report an unknown token as unauthenticated', async () => {
    const result = await kubectl(api.kubeconfigPath(), ['--token', 'bogus', 'get', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('You must be logged in to the server');
  });

  it('reviews tokens for a service that authenticates its callers', async () => {
    const auth = client(api, undefined, AuthenticationV1Api);
    const known = await auth.createTokenReview({ body: { spec: { token: 'alice-token' } } });
    expect(known.status).toMatchObject({
      authenticated: true,
      user: { username: 'alice', groups: ['devs', 'system:authenticated'] },
    });
    const unknown = await auth.createTokenReview({ body: { spec: { token: 'nope' } } });
    expect(unknown.status?.authenticated).toBe(false);
  });

  it('decides SubjectAccessReviews with the rule table', async () => {
    const authz = client(api, undefined, AuthorizationV1Api);
    const review = (verb: string, resource: string) =>
      authz.createSubjectAccessReview({
        body: {
          spec: {
            user: 'alice',
            groups: ['devs'],
            resourceAttributes: { namespace: 'shop', verb, resource },
          },
        },
      });
    expect((await review('list', 'pods')).status).toMatchObject({ allowed: true });
    expect((await review('delete', 'pods')).status).toMatchObject({
      allowed: false,
      denied: true,
      reason: 'no deleting pods',
    });
    expect((await review('update', 'deployments')).status).toMatchObject({ allowed: false, denied: true });
  });

  it('applies the same rules to requests, with 403 Forbidden', async () => {
    const core = client(api, 'alice', CoreV1Api);
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x:1' }] } },
    });
    const failure = await core
      .deleteNamespacedPod({ namespace: 'default', name: 'p' })
      .catch((e: { code: number; body: string }) => e);
    expect(failure).toMatchObject({ code: 403 });
    expect(JSON.parse((failure as { body: string }).body).message).toBe(
      'pods "p" is forbidden: User "alice" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
    const canI = await kubectl(api.kubeconfigPath('alice'), ['auth', 'can-i', 'delete', 'pods']);
    expect(canI.stdout.trim()).toBe('no - no deleting pods');
  });
});
