import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The bearer token the kubeconfig's current user sends (a static token, a token file, or what an
 * exec/OIDC plugin returns), or undefined when it authenticates otherwise (client certificate, basic).
 * The API server's service proxy drops the caller's Authorization header, so a backend that must
 * know who the caller is (the aggregator, through a TokenReview) is given this token in its protocol.
 */
export async function kubeBearerToken(kc: KubeConfig): Promise<string | undefined> {
  const options: { headers?: Record<string, string | string[] | number | undefined> } = {};
  await kc.applyToHTTPSOptions(options);
  const header = options.headers?.Authorization ?? options.headers?.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
