import type { KubeObject } from '../../../core/kube/types.js';

/** The Secret `kubectl create secret docker-registry NAME --docker-server=SERVER …` makes. */
export function pullSecret(
  server: string,
  creds: { username: string; password: string },
  metadata: { name: string; namespace: string } = { name: 'regcred', namespace: 'shop' },
): KubeObject {
  const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  const config = { auths: { [server]: { username: creds.username, password: creds.password, auth } } };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata,
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  };
}

/** Deployment shop/shop running `image`, pulled with the named imagePullSecrets (none: no such field). */
export function shopApp(image: string, secrets: readonly string[] = ['regcred']): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', namespace: 'shop', labels: { app: 'shop' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          ...(secrets.length ? { imagePullSecrets: secrets.map((name) => ({ name })) } : {}),
          containers: [{ name: 'shop', image }],
        },
      },
    },
  };
}
