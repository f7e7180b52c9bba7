import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentPermissions } from '../bus/nats/nats-permissions.js';
import { natsServerConfig } from '../bus/nats/nats-server-config.js';
import { mintUserCreds } from '../bus/nats/nats-user.js';
import { checkNode } from '../bus/node-name.js';
import { makeTrustMaterial, type TrustMaterial } from './trust-material.js';

export interface LocalTrustOptions {
  /** Nodes whose agents get a `.creds` file (`agent-<node>.creds`). */
  nodes: readonly string[];
  natsPort: number;
  /** JetStream's store directory, written into nats.conf. */
  natsStoreDir: string;
  /** Names the servers are reached by on this machine (default 127.0.0.1 and localhost). */
  hosts?: readonly string[];
}

/** The files `writeLocalTrust` writes, by what reads them. */
export interface LocalTrustFiles {
  dir: string;
  /** nats-server -c … */
  natsConfig: string;
  /** Every client's trust anchor (--tls-ca / SECO_TLS_CA). */
  caFile: string;
  /** The aggregator's NATS user (--nats-creds). */
  aggregatorCreds: string;
  /** The account signing key, from which the aggregator mints agents' users (--nats-trust). */
  natsTrust: string;
  /** s3rver's --cert/--key, and the aggregator's agent endpoint's. */
  serverCert: string;
  serverKey: string;
  /** The bootstrap user agents enroll with (a cluster's way; locally each agent has its own creds). */
  enrollCreds: string;
  /** Per node: that agent's NATS user. */
  agentCreds: Record<string, string>;
  material: TrustMaterial;
}

function secret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its mode otherwise
}

/**
 * The local stack's trust, written as files into `dir` (README "Running the stack locally"; the test harness
 * calls the same function): the install's material with one serving certificate for all local servers, a
 * nats.conf in operator mode with TLS, and a long-lived `.creds` per local agent — on one machine there is no
 * API server to enroll agents with. Running it again replaces every file (rotation).
 */
export async function writeLocalTrust(dir: string, options: LocalTrustOptions): Promise<LocalTrustFiles> {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const material = await makeTrustMaterial({ nats: hosts, aggregator: hosts, minio: hosts });
  const file = (name: string) => join(root, name);
  const files: LocalTrustFiles = {
    dir: root,
    natsConfig: file('nats.conf'),
    caFile: file('ca.pem'),
    aggregatorCreds: file('aggregator.creds'),
    natsTrust: file('nats-trust.json'),
    enrollCreds: file('enroll.creds'),
    serverCert: file('server.pem'),
    serverKey: file('server-key.pem'),
    agentCreds: {},
    material,
  };
  writeFileSync(files.caFile, material.ca.cert);
  writeFileSync(files.serverCert, `${material.nats.cert}`);
  // One serving key for every local server: they all listen on this machine's names.
  secret(files.serverKey, material.nats.key);
  secret(files.aggregatorCreds, material.aggregatorCreds);
  secret(files.enrollCreds, material.enrollCreds);
  secret(files.natsTrust, `${JSON.stringify(material.natsTrust, null, 2)}\n`);
  secret(
    files.natsConfig,
    natsServerConfig(material.natsTrust, {
      host: '127.0.0.1',
      port: options.natsPort,
      storeDir: options.natsStoreDir,
      tls: { certFile: files.serverCert, keyFile: files.serverKey, caFile: files.caFile },
    }),
  );
  for (const node of options.nodes) {
    checkNode(node);
    const path = file(`agent-${node.replace(/[^A-Za-z0-9_.-]/g, '_')}.creds`);
    secret(
      path,
      await mintUserCreds(material.natsTrust, { name: `agent:${node}`, permissions: agentPermissions(node) }),
    );
    files.agentCreds[node] = path;
  }
  return files;
}
