import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/**
 * A kubeconfig for the harness: one cluster (plain http on loopback), one user with a bearer token.
 * `insecure-skip-tls-verify` is set because clients built for real clusters expect it or a CA; it is
 * harmless over http (client-go and client-node only use TLS settings for https servers).
 */
export function writeKubeconfig(dir: string, server: string, username: string, token: string): string {
  const safe = username.replace(/[^A-Za-z0-9_.-]/g, '_');
  const path = join(dir, `kubeconfig-${safe}.yaml`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'seco-harness', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: username, user: { token } }],
    contexts: [
      { name: 'seco-harness', context: { cluster: 'seco-harness', user: username, namespace: 'default' } },
    ],
    'current-context': 'seco-harness',
    preferences: {},
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}
