import { buildInfo } from '../core/build/build-info.js';
import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { NatsTrust } from '../core/bus/nats/nats-trust.js';
import { builtinRulesDir, loadFeedbackRules } from '../core/feedback/feedback-rules.js';
import { loadKubeConfig } from '../core/kube/load-kube-config.js';
import { openKubeView } from '../core/kube/open-kube-view.js';
import { natsStatusToReadiness, Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { readFlagFile } from '../core/service/trust-flags.js';
import { S3ObjectStore } from '../core/store/s3/s3-object-store.js';
import { Access } from './access.js';
import { AgentEnrollment } from './agent-enrollment.js';
import { Aggregator } from './aggregator.js';
import { AGGREGATOR_USAGE, aggregatorConfig } from './config.js';
import { KubernetesAccess } from './kube-access.js';

const VERSION = buildInfo().version;

async function main(): Promise<void> {
  const config = serviceConfig('seco-aggregator', AGGREGATOR_USAGE, aggregatorConfig);
  if (!config) return;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const kube = await openKubeView({
    kubeFrom: config.kubeFrom,
    kubeconfig: config.kubeconfig,
    context: config.context,
  });
  // With --kube-from there is no API server to review tokens: only the static tokens get in.
  const kubeAccess = config.kubeFrom
    ? undefined
    : new KubernetesAccess(loadKubeConfig({ kubeconfig: config.kubeconfig, context: config.context }));
  const access = await Access.create(config.authTokenFile, kubeAccess);
  const rules = await loadFeedbackRules([builtinRulesDir(), ...(config.rulesDir ? [config.rulesDir] : [])]);
  const readiness = new Readiness();
  const natsStatus = natsStatusToReadiness(readiness);
  let busUpSince = Date.now();
  const bus = await NatsBus.connectWhenUp(
    config.nats,
    {
      ackWaitMs: 120_000,
      maxDeliver: 5,
      ...config.trust,
      onStatus: (type, detail) => {
        natsStatus(type, detail);
        if (type === 'reconnect') busUpSince = Date.now();
        if (type !== 'ping' && type !== 'reconnecting') log(`NATS ${type}${detail ? ` ${detail}` : ''}`);
      },
    },
    (error, retryInMs) => log(`${error.message}; retrying in ${Math.round(retryInMs / 100) / 10} s`),
  );
  readiness.ok('nats');
  const store = new S3ObjectStore({
    endpoint: config.s3.endpoint,
    bucket: config.s3.bucket,
    accessKey: config.s3.accessKey,
    secretKey: config.s3.secretKey,
    ...(config.trust.tlsCa ? { tlsCa: config.trust.tlsCa } : {}),
  });
  const enrollment =
    config.natsTrustFile && kubeAccess
      ? new AgentEnrollment({
          bus,
          trust: NatsTrust.parse(JSON.parse(readFlagFile('nats-trust', config.natsTrustFile))),
          review: (token, audience) => kubeAccess.reviewFor(token, audience),
          kube,
          agentServiceAccount: config.agentServiceAccount,
          log,
        })
      : undefined;
  await enrollment?.start();
  const aggregator = new Aggregator({
    bus,
    store,
    kube,
    access,
    replicaId: config.replicaId,
    feedbackRules: rules,
    jobTimeoutMs: config.jobTimeoutMs,
    agentStaleMs: config.agentStaleMs,
    busUpSince: () => busUpSince,
    readiness,
    cluster: config.cluster,
    continuous: config.continuous,
    admission: config.admission,
    version: VERSION,
    log,
  });
  const address = await aggregator.start(config.host, config.port);
  log(
    `seco-aggregator ${config.replicaId} listening on ${address.address}:${address.port}, NATS ${config.nats}, ${rules.length} feedback rule(s)`,
  );
  process.stdout.write(`listening ${address.port}\n`);
  const shutdown = async () => {
    log('stopping: handing scans to the other replicas');
    enrollment?.close();
    await aggregator.stop();
    await bus.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}

await main();
