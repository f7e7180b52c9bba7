import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** Who a connection is, once its token checked out. */
export interface Caller {
  name: string;
  groups: string[];
  /** Static-token callers are the operator's own tools: trusted everywhere, not reviewed per namespace. */
  source: 'static-token' | 'kubernetes';
}

/** The Kubernetes side of access: TokenReview for who, SubjectAccessReview for may-they. */
export interface KubeAccess {
  review(token: string): Promise<{ name: string; groups: string[] } | undefined>;
  allowed(caller: Caller, check: { verb: string; resource: string; namespace?: string }): Promise<boolean>;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Tokens first against the static list (`--auth-token-file`, one per line, for direct connections),
 * compared in constant time; then, when the aggregator runs against a cluster, by TokenReview.
 */
export class Access {
  private constructor(
    private readonly staticTokens: Buffer[],
    private readonly kube: KubeAccess | undefined,
  ) {}

  static async create(tokenFile: string | undefined, kube: KubeAccess | undefined): Promise<Access> {
    const tokens = tokenFile
      ? (await readFile(tokenFile, 'utf8'))
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'))
      : [];
    return new Access(tokens.map(digest), kube);
  }

  async authenticate(token: string | undefined): Promise<Caller | undefined> {
    if (!token) return undefined;
    const given = digest(token);
    if (this.staticTokens.some((known) => timingSafeEqual(known, given)))
      return { name: 'static-token', groups: [], source: 'static-token' };
    const reviewed = await this.kube?.review(token);
    return reviewed ? { ...reviewed, source: 'kubernetes' } : undefined;
  }

  /** A scan shows what runs in a namespace: whoever may list its pods may scan it (all namespaces for -A). */
  async mayRead(caller: Caller, namespace: string | undefined): Promise<boolean> {
    if (caller.source === 'static-token') return true;
    if (!this.kube) return false;
    return this.kube.allowed(caller, { verb: 'list', resource: 'pods', ...(namespace ? { namespace } : {}) });
  }
}
