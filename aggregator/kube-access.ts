import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { AccessCheck, Caller, KubeAccess } from './access.js';

/** TokenReview and SubjectAccessReview against the cluster the aggregator runs in. */
export class KubernetesAccess implements KubeAccess {
  private readonly authn: AuthenticationV1Api;
  private readonly authz: AuthorizationV1Api;

  constructor(config: KubeConfig) {
    this.authn = config.makeApiClient(AuthenticationV1Api);
    this.authz = config.makeApiClient(AuthorizationV1Api);
  }

  async review(token: string): Promise<{ name: string; groups: string[]; uid?: string } | undefined> {
    const review = await this.authn.createTokenReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    const user = review.status?.authenticated ? review.status.user : undefined;
    return user?.username
      ? { name: user.username, groups: user.groups ?? [], ...(user.uid ? { uid: user.uid } : {}) }
      : undefined;
  }

  /** A TokenReview for `audience`, with the user's extra (bound pod and node of a projected token). */
  async reviewFor(
    token: string,
    audience: string,
  ): Promise<{ username: string; extra: Record<string, string[]> } | undefined> {
    const review = await this.authn.createTokenReview({
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token, audiences: [audience] },
      },
    });
    const status = review.status;
    if (!status?.authenticated || !status.user?.username) return undefined;
    // A token made for other audiences is not for us (TokenReview answers the intersection).
    if (!(status.audiences ?? []).includes(audience)) return undefined;
    return { username: status.user.username, extra: status.user.extra ?? {} };
  }

  async allowed(caller: Caller, check: AccessCheck & { group: string }): Promise<boolean> {
    const review = await this.authz.createSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: caller.name,
          groups: caller.groups,
          ...(caller.uid ? { uid: caller.uid } : {}),
          ...(caller.extra ? { extra: caller.extra } : {}),
          resourceAttributes: {
            verb: check.verb,
            group: check.group,
            resource: check.resource,
            ...(check.namespace ? { namespace: check.namespace } : {}),
            ...(check.name ? { name: check.name } : {}),
          },
        },
      },
    });
    return review.status?.allowed === true;
  }
}
