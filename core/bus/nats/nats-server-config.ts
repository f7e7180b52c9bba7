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
}

const quoted = (value: string) => JSON.stringify(value);

/**
 * nats-server's configuration for seco's trust: operator mode with the memory resolver (the two accounts
 * preloaded; nats-server 2.9 "resolver: MEMORY"), so a connection needs a user JWT signed by the SECO
 * account's signing key and the nkey proof that goes with it — a client without credentials is refused at
 * CONNECT. TLS is required of every client when `tls` is given (the server verifies nothing of the client's
 * certificate: the JWT is the identity).
 */
export function natsServerConfig(trust: NatsTrust, options: NatsServerConfigOptions): string {
  const lines = [
    `host: ${quoted(options.host ?? '0.0.0.0')}`,
    `port: ${options.port}`,
    `operator: ${quoted(trust.operatorJwt)}`,
    `system_account: ${quoted(trust.systemAccount)}`,
    'resolver: MEMORY',
    'resolver_preload: {',
    `  ${trust.systemAccount}: ${quoted(trust.systemAccountJwt)}`,
    `  ${trust.account}: ${quoted(trust.accountJwt)}`,
    '}',
    `jetstream: { store_dir: ${quoted(options.storeDir)} }`,
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
