#!/usr/bin/env node
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLocalTrust } from '../../core/trust/local-trust.js';

// The local stack's one trust step (README "Running the stack locally"): CA, certificates, nats.conf in
// operator mode with TLS, the aggregator's and each agent's NATS credentials. Running it again rotates all.
const USAGE = `usage: node dist/tools/local-stack/write-trust.js DIR [--nodes node-a,node-b] [--nats-port 4222]

Writes into DIR: ca.pem, server.pem, server-key.pem (nats-server, s3rver --cert/--key), nats.conf,
aggregator.creds, nats-trust.json (the aggregator's signing key), agent-<node>.creds.`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      nodes: { type: 'string', default: 'node-a,node-b' },
      'nats-port': { type: 'string', default: '4222' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const port = Number(values['nats-port']);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--nats-port ${values['nats-port']}: 1-65535`);
  const dir = resolve(positionals[0]!);
  const nodes = values
    .nodes!.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const files = await writeLocalTrust(dir, { nodes, natsPort: port, natsStoreDir: join(dir, 'nats') });
  process.stdout.write(
    `wrote ${files.natsConfig}, ${files.caFile}, ${files.aggregatorCreds}, ${Object.values(files.agentCreds).join(', ')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`write-trust: ${(error as Error).message}\n`);
  process.exitCode = 2;
});
