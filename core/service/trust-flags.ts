import { readFileSync } from 'node:fs';
import type { NatsCredentials } from '../bus/nats/nats-bus.js';

/** The flags both services take for seco's trust (docs/decisions.md "NATS identities"). */
export const TRUST_FLAGS = {
  'nats-creds': {
    env: 'SECO_NATS_CREDS',
    help: "this process's NATS user: a .creds file (JWT and seed), read again on every reconnect so a rewritten file is picked up (unset: no authentication)",
    optional: true,
  },
  'tls-ca': {
    env: 'SECO_TLS_CA',
    help: "PEM file of seco's CA: NATS, the object store and the aggregator's agent endpoint must present a certificate it signed (unset: system CAs, and NATS without TLS)",
    optional: true,
  },
} as const;

export interface TrustConfig {
  credentials?: NatsCredentials;
  tlsCa?: string;
}

/** Reads a file a flag names, saying which flag when it cannot. */
export function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--${flag} ${path}: ${(error as Error).message}`);
  }
}

/**
 * The NATS credentials and CA from the flags' files. The creds file is read now (a missing one is an error
 * at start) and again on each reconnect, so rotation (a re-install rewriting the Secret) needs no restart.
 */
export function trustConfig(
  values: { 'nats-creds'?: string | undefined; 'tls-ca'?: string | undefined },
  inboxPrefix?: string,
): TrustConfig {
  const credsPath = values['nats-creds'];
  let last = credsPath ? readFlagFile('nats-creds', credsPath) : undefined;
  const creds = () => {
    try {
      last = readFlagFile('nats-creds', credsPath!);
    } catch {
      // keep the last good one: a Secret volume is briefly empty while it is swapped
    }
    return last!;
  };
  return {
    ...(credsPath ? { credentials: { creds, ...(inboxPrefix ? { inboxPrefix } : {}) } } : {}),
    ...(values['tls-ca'] ? { tlsCa: readFlagFile('tls-ca', values['tls-ca']) } : {}),
  };
}
