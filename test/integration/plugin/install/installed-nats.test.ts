import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { NatsBus, type NatsBusOptions } from '../../../../core/bus/nats/nats-bus.js';
import { agentPermissions, nodeInboxPrefix } from '../../../../core/bus/nats/nats-permissions.js';
import { NatsTrust } from '../../../../core/bus/nats/nats-trust.js';
import { mintUserCreds } from '../../../../core/bus/nats/nats-user.js';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import type { KubeObject } from '../../../../core/kube/types.js';
import { installStack } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { renderStack } from '../../../../plugin/install/render-stack.js';
import { settingsFromFlags } from '../../../../plugin/install/settings-from-flags.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';
import { type RunningNats, startNats } from '../../../harness/nats/start-nats.js';
import { freePort } from '../../../harness/registry/free-port.js';

// The real nats-server, started with the nats.conf `kubectl seco install` stored in the Secret (only the
// in-pod paths and ports replaced by this machine's): an agent user made from the install's material takes
// its node's jobs; a bare client, and the agents' bootstrap user, are refused.
const SYS = 'seco-system';
const NODE = 'node-a';
const SERVER_NAME = `seco-nats.${SYS}.svc`;
const options: NatsBusOptions = { ackWaitMs: 2000, maxDeliver: 3, tlsServerName: SERVER_NAME };
const text = (data: Uint8Array) => Buffer.from(data).toString();

let api: RunningKubeApi;
let nats: RunningNats;
let files: Record<string, string>;
const open: NatsBus[] = [];

function secret(namespace: string, name: string): Record<string, string> {
  const object = api.store.find('v1', 'Secret', namespace, name) as KubeObject;
  return Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString(),
    ]),
  );
}

async function bus(creds: string, extra: Partial<NatsBusOptions> = {}): Promise<NatsBus> {
  const connected = await NatsBus.connect(nats.url, {
    ...options,
    tlsCa: secret('seco-agents', 'seco-agent-bus')['ca.crt']!,
    credentials: { creds },
    ...extra,
  });
  open.push(connected);
  return connected;
}

beforeAll(async () => {
  api = await startKubeApi();
  await installStack(await renderStack(manifestsDir(), settingsFromFlags({ namespace: SYS }, '0.1.0')), {
    kc: loadKubeConfig({ kubeconfig: api.kubeconfigPath() }),
    log: () => undefined,
  });
  files = secret(SYS, 'seco-nats-tls');
  const monitorPort = await freePort();
  nats = await startNats({
    config: (port, dir) => {
      // The Secret's files where the pod would see them under /etc/nats, JetStream's volume under dir.
      const etc = join(dir, 'etc-nats');
      mkdirSync(etc, { recursive: true });
      for (const [name, content] of Object.entries(files))
        writeFileSync(join(etc, name), content, { mode: 0o600 });
      return files['nats.conf']!.replaceAll('"/etc/nats/', `"${etc}/`)
        .replace('"/data/jetstream"', JSON.stringify(join(dir, 'jetstream')))
        .replace(/^host: .*$/m, 'host: "127.0.0.1"')
        .replace(/^port: 4222$/m, `port: ${port}`)
        .replace(/^http_port: 8222$/m, `http_port: ${monitorPort}`);
    },
  });
}, 120_000);
afterAll(async () => {
  for (const b of open.reverse()) await b.close().catch(() => undefined);
  await nats?.stop();
  await api?.stop();
});

describe('NATS as the install configured it', () => {
  it('was started from the rendered configuration, in operator mode with TLS', () => {
    expect(files['nats.conf']).toMatch(/^port: 4222$/m);
    expect(files['nats.conf']).toMatch(/^resolver: MEMORY$/m);
    expect(files['nats.conf']).toContain('tls: {');
  });

  it("gives an agent user from the install's material its node's jobs", async () => {
    const aggregator = await bus(secret(SYS, 'seco-aggregator-bus')['aggregator.creds']!);
    // As the aggregator's enrollment does: a node's user minted with the account signing key it mounts.
    const trust = NatsTrust.parse(JSON.parse(secret(SYS, 'seco-aggregator-bus')['nats-trust.json']!));
    const agentCreds = await mintUserCreds(trust, {
      name: `agent:${NODE}`,
      permissions: agentPermissions(NODE),
      ttlSeconds: 600,
    });
    const agent = await bus(agentCreds, {
      manageStreams: false,
      credentials: { creds: agentCreds, inboxPrefix: nodeInboxPrefix(NODE) },
    });
    await aggregator.publishJob(NODE, Buffer.from('scan node-a'));
    const job = await agent.nextJob(NODE, 5000);
    expect(job && text(job.data)).toBe('scan node-a');
    await job!.ack();
    // Another node's queue is not this agent's.
    await aggregator.publishJob('node-b', Buffer.from('scan node-b'));
    await expect(agent.nextJob('node-b', 1500)).rejects.toThrow(/permission|timeout|taking a job/i);
  }, 60_000);

  it('refuses a bare client, a client without TLS, and lets the bootstrap user take no job', async () => {
    const ca = secret('seco-agents', 'seco-agent-bus')['ca.crt']!;
    await expect(NatsBus.connect(nats.url, { ...options, tlsCa: ca })).rejects.toThrow(
      /Authorization Violation/i,
    );
    await expect(connect({ servers: nats.url, tls: null, reconnect: false, timeout: 3000 })).rejects.toThrow(
      /tls|secure|Authorization/i,
    );
    // A certificate for another name than the Service's is not accepted by a client that checks it.
    await expect(
      NatsBus.connect(nats.url, {
        ...options,
        tlsServerName: 'nats.example.com',
        tlsCa: ca,
        credentials: { creds: secret(SYS, 'seco-aggregator-bus')['aggregator.creds']! },
      }),
    ).rejects.toThrow(/certificate|altnames|hostname/i);
    const enroll = await bus(secret('seco-agents', 'seco-agent-bus')['enroll.creds']!, {
      manageStreams: false,
      credentials: {
        creds: secret('seco-agents', 'seco-agent-bus')['enroll.creds']!,
        inboxPrefix: '_INBOX_enroll',
      },
    });
    await expect(enroll.nextJob(NODE, 1500)).rejects.toThrow(/permission|timeout|taking a job/i);
  }, 60_000);
});
