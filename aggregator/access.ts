import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SECO_API_GROUP } from '../core/protocol/seco-api.js';
import { DecisionCache } from './decision-cache.js';

/** Who a connection is, once its token or its front-proxy identity checked out. */
export interface Caller {
  name: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
  /**
   * Static-token callers are the operator's own tools: trusted everywhere, not reviewed per namespace.
   * `front-proxy`: the API server authenticated the user and forwarded the identity (aggregated API);
   * `kubernetes`: a bearer token checked with a TokenReview.
   */
  source: 'static-token' | 'kubernetes' | 'front-proxy';
}

/** What a SubjectAccessReview asks: a verb on a resource of a group, in a namespace, by name. */
export interface AccessCheck {
  verb: string;
  /** API group; seco.dev unless said ('' is the core group). */
  group?: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** The Kubernetes side of access: TokenReview for who, SubjectAccessReview for may-they. */
export interface KubeAccess {
  review(token: string): Promise<{ name: string; groups: string[]; uid?: string } | undefined>;
  allowed(caller: Caller, check: AccessCheck & { group: string }): Promise<boolean>;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Tokens first against the static list (`--auth-token-file`, one per line, for direct connections),
 * compared in constant time; then, when the aggregator runs against a cluster, by TokenReview. Every
 * decision about a Kubernetes user is a SubjectAccessReview on seco.dev resources (docs/api-access.md),
 * remembered for a few seconds (as kube-apiserver's webhook authorizer caches them).
 */
export class Access {
  private readonly decisions: DecisionCache;

  private constructor(
    private readonly staticTokens: Buffer[],
    private readonly kube: KubeAccess | undefined,
    cacheMs: number,
  ) {
    this.decisions = new DecisionCache(cacheMs);
  }

  static async create(
    tokenFile: string | undefined,
    kube: KubeAccess | undefined,
    options: { cacheMs?: number } = {},
  ): Promise<Access> {
    const tokens = tokenFile
      ? (await readFile(tokenFile, 'utf8'))
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'))
      : [];
    return new Access(tokens.map(digest), kube, options.cacheMs ?? 10_000);
  }

  async authenticate(token: string | undefined): Promise<Caller | undefined> {
    if (!token) return undefined;
    const given = digest(token);
    if (this.staticTokens.some((known) => timingSafeEqual(known, given)))
      return { name: 'static-token', groups: [], source: 'static-token' };
    const reviewed = await this.kube?.review(token);
    return reviewed ? { ...reviewed, source: 'kubernetes' } : undefined;
  }

  /** A SubjectAccessReview for a Kubernetes caller (cached); static tokens may do everything. */
  async may(caller: Caller, check: AccessCheck): Promise<boolean> {
    if (caller.source === 'static-token') return true;
    const kube = this.kube;
    if (!kube) return false;
    const full = { ...check, group: check.group ?? SECO_API_GROUP };
    return this.decisions.decide(caller, full, () => kube.allowed(caller, full));
  }

  /** Reading a namespace's scan results: `list findings.seco.dev` there (all namespaces when undefined). */
  mayRead(caller: Caller, namespace: string | undefined): Promise<boolean> {
    return this.may(caller, { verb: 'list', resource: 'findings', ...(namespace ? { namespace } : {}) });
  }

  /** Starting a scan of a namespace: `create scans.seco.dev` there. */
  mayScan(caller: Caller, namespace: string | undefined): Promise<boolean> {
    return this.may(caller, { verb: 'create', resource: 'scans', ...(namespace ? { namespace } : {}) });
  }

  /** Following runtime events of a namespace: `watch events.seco.dev` there. */
  mayWatch(caller: Caller, namespace: string | undefined): Promise<boolean> {
    return this.may(caller, { verb: 'watch', resource: 'events', ...(namespace ? { namespace } : {}) });
  }

  /**
   * A node's own findings (CIS host checks, a node-level alert): whoever may `get` that Node. Pods'
   * readers do not see their nodes' host findings unless RBAC says so (docs/api-access.md).
   */
  maySeeNode(caller: Caller, node: string): Promise<boolean> {
    return this.may(caller, { verb: 'get', group: '', resource: 'nodes', name: node });
  }
}
