import type { NatsTrust } from './nats-trust.js';

export interface NatsServerTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export interface NatsServerConfigOptions {
  host?: string;
  port: number;
  storeDir: string;
  /** Without it the server speaks plain NATS: only for a test that shows what TLS changes. */
  tls?: NatsServerTls;
  /** The monitoring port (`/healthz` for a kubelet's probes; it serves no message and needs no user). */
  monitorPort?: number;
  /** JetStream's store limits, as nats-server writes them (`8G`, `256M`). */
  jetstreamLimits?: { maxFileStore: string; maxMemoryStore: string };
}

const SIZE = /^[0-9]+[KMGT]?$/;

const quoted = (value: string) => JSON.stringify(value);

/**
 * nats-server's configuration for seco's trust: operator mode with the memory resolver (the two accounts
 * preloaded; nats-server 2.9 "resolver: MEMORY"), so a connection needs a user JWT signed by the SECO
 * account's signing key and the nkey proof that goes with it — a client without credentials is refused at
 * CONNECT. TLS is required of every client when `tls` is given (the server verifies nothing of the client's
 * certificate: the JWT is the identity).
 */
export function natsServerConfig(trust: NatsTrust, options: NatsServerConfigOptions): string {
  const limits = options.jetstreamLimits;
  if (limits && !(SIZE.test(limits.maxFileStore) && SIZE.test(limits.maxMemoryStore)))
    throw new Error(`JetStream limits ${JSON.stringify(limits)}: sizes like 8G or 256M`);
  const jetstream = [
    `store_dir: ${quoted(options.storeDir)}`,
    ...(limits
      ? [`max_file_store: ${limits.maxFileStore}`, `max_memory_store: ${limits.maxMemoryStore}`]
      : []),
  ];
  const lines = [
    `host: ${quoted(options.host ?? '0.0.0.0')}`,
    `port: ${options.port}`,
    ...(options.monitorPort === undefined ? [] : [`http_port: ${options.monitorPort}`]),
    `operator: ${quoted(trust.operatorJwt)}`,
    `system_account: ${quoted(trust.systemAccount)}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${trust.systemAccount}: ${quoted(trust.systemAccountJwt)}`,
    `  ${trust.account}: ${quoted(trust.accountJwt)}`,
    '}',
    `jetstream: { ${jetstream.join(', ')} }`,
    // core/protocol MAX_BUS_MESSAGE_BYTES is 512 KiB; NATS' default 1 MiB leaves headroom.
    'max_payload: 1MB',
  ];
  if (options.tls)
    lines.push(
      'tls: {',
      `  cert_file: ${quoted(options.tls.certFile)}`,
      `  key_file: ${quoted(options.tls.keyFile)}`,
      `  ca_file: ${quoted(options.tls.caFile)}`,
      '  timeout: 5',
      '}',
    );
  return `${lines.join('\n')}\n`;
}
