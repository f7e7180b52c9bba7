import type { Bus } from '../core/bus/bus.js';
import {
  agentPermissions,
  ENROLL_SUBJECT,
  serviceToolsPermissions,
} from '../core/bus/nats/nats-permissions.js';
import type { NatsTrust } from '../core/bus/nats/nats-trust.js';
import { mintUserJwt } from '../core/bus/nats/nats-user.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { isRecord } from '../core/kube/types.js';
import {
  AGENT_TOKEN_AUDIENCE,
  decodeMessage,
  type EnrollAnswer,
  EnrollRequest,
  SERVICE_TOOLS_NODE,
} from '../core/protocol/index.js';

/** What a TokenReview says of a token (authentication.k8s.io/v1 TokenReviewStatus.user). */
export interface ReviewedToken {
  username: string;
  extra: Record<string, string[]>;
}

export interface AgentEnrollmentOptions {
  bus: Bus;
  trust: Pick<NatsTrust, 'account' | 'signingSeed'>;
  /** TokenReview with `audiences: [AGENT_TOKEN_AUDIENCE]`; undefined when the token is not authenticated. */
  review: (token: string, audience: string) => Promise<ReviewedToken | undefined>;
  kube: KubeView;
  /** The agents' service account: `system:serviceaccount:<namespace>:<name>`. */
  agentServiceAccount: string;
  /**
   * The seco-tools Deployment's service account: its pods enroll as SERVICE_TOOLS_NODE, with the Service
   * tools' permissions (serviceToolsPermissions); none when not given.
   */
  toolsServiceAccount?: string;
  /** How long a minted user lives (default 1 h); agents renew at two thirds of it. */
  ttlSeconds?: number;
  now?: () => number;
  log?: (line: string) => void;
}

// Bound service-account tokens name their pod (and, from Kubernetes 1.30, its node) in the user's extra.
const POD_NAME = 'authentication.kubernetes.io/pod-name';
const NODE_NAME = 'authentication.kubernetes.io/node-name';
const MAX_REQUEST_BYTES = 20 * 1024;

class Refused extends Error {}

/**
 * Mints each agent's NATS user when it starts (and again before it expires), so a node added after install
 * gets its identity without a re-install: the agent's pod token proves which pod — hence which node — asks,
 * and the user minted may do only that node's work (core/bus/nats/nats-permissions.ts agentPermissions).
 */
export class AgentEnrollment {
  private stop?: () => void;

  constructor(private readonly options: AgentEnrollmentOptions) {}

  async start(): Promise<void> {
    this.stop = await this.options.bus.serve(ENROLL_SUBJECT, async (_subject, data) =>
      Buffer.from(JSON.stringify(await this.answer(data))),
    );
  }

  close(): void {
    this.stop?.();
  }

  async answer(data: Uint8Array): Promise<EnrollAnswer> {
    const decoded = decodeMessage(EnrollRequest, data, MAX_REQUEST_BYTES);
    if (!decoded.ok) return { ok: false, error: `enrollment refused: ${decoded.error}` };
    const request = decoded.value;
    try {
      const serviceTools = request.node === SERVICE_TOOLS_NODE;
      const account = serviceTools ? this.options.toolsServiceAccount : this.options.agentServiceAccount;
      if (!account) throw new Refused('no service account may enroll as the Service tools runner');
      const node = await this.boundNode(request.token, account, serviceTools ? 'seco-tools' : "agents'");
      if (!serviceTools && node !== request.node)
        throw new Refused(`the token is bound to a pod on node ${node}, not ${request.node}`);
      const ttl = this.options.ttlSeconds ?? 3600;
      const now = (this.options.now ?? Date.now)();
      const jwt = await mintUserJwt(this.options.trust, request.publicKey, {
        name: serviceTools ? `tools:services:${node}` : `agent:${node}`,
        permissions: serviceTools ? serviceToolsPermissions(node) : agentPermissions(node),
        ttlSeconds: ttl,
        now: new Date(now),
      });
      this.options.log?.(
        `enrolled ${serviceTools ? `a seco-tools replica on node ${node}` : `the agent of node ${node}`} for ${ttl} s`,
      );
      return { ok: true, jwt, expiresAt: now + ttl * 1000 };
    } catch (error) {
      const message =
        error instanceof Refused ? error.message : `enrollment failed: ${(error as Error).message}`;
      this.options.log?.(`refused an agent enrollment for node ${request.node}: ${message}`);
      return { ok: false, error: message.slice(0, 1024) };
    }
  }

  /**
   * The node of the pod the token is bound to, after checking it is `account`'s (the agents', or seco-tools'
   * for the Service tools: a replica's node names only its heartbeat key).
   */
  private async boundNode(token: string, account: string, whose: string): Promise<string> {
    const user = await this.options.review(token, AGENT_TOKEN_AUDIENCE);
    if (!user) throw new Refused(`the token is not a valid ${AGENT_TOKEN_AUDIENCE} token`);
    if (user.username !== account) throw new Refused(`${user.username} is not the ${whose} service account`);
    const pod = user.extra[POD_NAME]?.[0];
    if (!pod)
      throw new Refused('the token is not bound to a pod (a projected service-account token is needed)');
    const fromToken = user.extra[NODE_NAME]?.[0];
    if (fromToken) return fromToken;
    const namespace = user.username.split(':')[2]!;
    const object = await this.options.kube.get('Pod', namespace, pod);
    const nodeName = isRecord(object?.spec) ? object.spec.nodeName : undefined;
    if (typeof nodeName !== 'string' || !nodeName)
      throw new Refused(`pod ${namespace}/${pod} runs on no node`);
    return nodeName;
  }
}
