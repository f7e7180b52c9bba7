import { createUser, fmtCreds, type KeyPair } from '@nats-io/jwt';
import type { Bus } from '../core/bus/bus.js';
import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { ENROLL_INBOX_PREFIX, ENROLL_SUBJECT } from '../core/bus/nats/nats-permissions.js';
import { decodeMessage, EnrollAnswer, PROTOCOL_VERSION } from '../core/protocol/index.js';
import { readFlagFile } from '../core/service/trust-flags.js';

export interface EnrollOptions {
  servers: string;
  node: string;
  /** The bootstrap user's `.creds` (it may only ask to enroll). */
  bootstrapCreds: string;
  /** The projected service-account token's file (audience seco-aggregator), read afresh each time. */
  tokenFile: string;
  tlsCa?: string;
  log?: (line: string) => void;
}

const ASK_TIMEOUT_MS = 10_000;

/**
 * This agent's NATS identity in a cluster: an nkey made here (its seed never leaves the process) and a user
 * JWT the aggregator mints for it after checking the pod's token (aggregator/agent-enrollment.ts). The
 * first JWT comes over a bootstrap connection; renewals, at two thirds of its life, over the agent's own.
 * `creds()` is what the NATS client asks on every reconnect — including the one the server forces when a
 * JWT expires — so it always gets the newest.
 */
export class AgentIdentity {
  private readonly key: KeyPair = createUser();
  private current = '';
  private timer?: NodeJS.Timeout;

  private constructor(private readonly options: EnrollOptions) {}

  static async enroll(options: EnrollOptions): Promise<AgentIdentity> {
    const identity = new AgentIdentity(options);
    const bootstrap = await NatsBus.connect(options.servers, {
      ackWaitMs: 1000,
      maxDeliver: 1,
      manageStreams: false,
      credentials: { creds: options.bootstrapCreds, inboxPrefix: ENROLL_INBOX_PREFIX },
      ...(options.tlsCa ? { tlsCa: options.tlsCa } : {}),
    });
    try {
      await identity.ask(bootstrap);
    } finally {
      await bootstrap.close();
    }
    return identity;
  }

  creds(): string {
    return this.current;
  }

  /** Renews through `bus` (the agent's own connection) before the JWT runs out; a failure is retried sooner. */
  keepRenewed(bus: Bus, expiresAt: number, now = Date.now()): void {
    const wait = Math.max(5_000, ((expiresAt - now) * 2) / 3);
    this.timer = setTimeout(() => {
      this.ask(bus).then(
        (next) => this.keepRenewed(bus, next),
        (error: Error) => {
          this.options.log?.(`renewing the NATS user of ${this.options.node}: ${error.message}`);
          this.keepRenewed(bus, Date.now() + 30_000);
        },
      );
    }, wait);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Asks for a JWT for this key; returns its expiry. */
  async ask(bus: Bus): Promise<number> {
    const request = {
      v: PROTOCOL_VERSION,
      type: 'agent.enroll',
      node: this.options.node,
      publicKey: this.key.getPublicKey(),
      token: readFlagFile('enroll-token-file', this.options.tokenFile).trim(),
    };
    const raw = await bus.request(ENROLL_SUBJECT, Buffer.from(JSON.stringify(request)), ASK_TIMEOUT_MS);
    const answer = decodeMessage(EnrollAnswer, raw, 64 * 1024);
    if (!answer.ok) throw new Error(`unreadable enrollment answer: ${answer.error}`);
    if (!answer.value.ok) throw new Error(`enrollment refused: ${answer.value.error}`);
    this.current = new TextDecoder().decode(fmtCreds(answer.value.jwt, this.key));
    this.expiresAt = answer.value.expiresAt;
    return answer.value.expiresAt;
  }

  expiresAt = 0;
}
