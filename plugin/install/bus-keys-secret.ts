import { parseCreds } from '@nats-io/jwt';
import { NatsTrust } from '../../core/bus/nats/nats-trust.js';
import type { KubeObject } from '../../core/kube/types.js';
import type { BusKeys } from '../../core/trust/trust-material.js';

/**
 * The Secret that keeps the bus's keys between installs (SECURITY.md, "Rotation"). No pod mounts it: install
 * reads it back, and copies to each component only what that component needs.
 */
export const BUS_KEYS_SECRET = 'seco-bus-keys';

const labels = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/part-of': 'seco' };

export function busKeysSecret(namespace: string, keys: BusKeys): KubeObject {
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: BUS_KEYS_SECRET, namespace, labels },
    type: 'Opaque',
    data: {
      'nats-trust.json': base64(`${JSON.stringify(keys.natsTrust, null, 2)}\n`),
      'aggregator.creds': base64(keys.aggregatorCreds),
      'enroll.creds': base64(keys.enrollCreds),
    },
  };
}

/**
 * The keys an earlier install stored, undefined when there is no such Secret. A Secret that is there but
 * does not hold them (edited, truncated) is an error naming the key: making new keys silently would orphan
 * JetStream's streams and every user already issued.
 */
export async function storedBusKeys(secret: KubeObject | undefined): Promise<BusKeys | undefined> {
  if (!secret) return undefined;
  const where = `Secret ${secret.metadata?.namespace}/${BUS_KEYS_SECRET}`;
  const data = (secret.data ?? {}) as Record<string, unknown>;
  const text = (key: string): string => {
    const value = data[key];
    if (typeof value !== 'string' || value === '')
      throw new Error(`${where}: no ${key}; reinstall with --rotate-bus-keys to make new bus keys`);
    return Buffer.from(value, 'base64').toString('utf8');
  };
  let natsTrust: NatsTrust;
  try {
    natsTrust = NatsTrust.parse(JSON.parse(text('nats-trust.json')));
  } catch (error) {
    if ((error as Error).message.startsWith(where)) throw error;
    throw new Error(
      `${where}: nats-trust.json is not seco's NATS trust (${(error as Error).message.split('\n')[0]}); reinstall with --rotate-bus-keys`,
    );
  }
  // A user of another account would be refused by this NATS: the Secret was pieced together, not made here.
  const creds = async (key: string) => {
    const value = text(key);
    const account = await parseCreds(new TextEncoder().encode(value)).then(
      (parsed) => parsed.aid,
      () => undefined,
    );
    if (account !== natsTrust.account)
      throw new Error(
        `${where}: ${key} is not a NATS .creds file of account ${natsTrust.account}; reinstall with --rotate-bus-keys`,
      );
    return value;
  };
  return {
    natsTrust,
    aggregatorCreds: await creds('aggregator.creds'),
    enrollCreds: await creds('enroll.creds'),
  };
}
