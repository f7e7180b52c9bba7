import { readFile } from 'node:fs/promises';
import { buildInfo } from '../core/build/build-info.js';
import { NatsBus } from '../core/bus/nats/nats-bus.js';
import { NatsTrust } from '../core/bus/nats/nats-trust.js';
import { builtinRulesDir, loadFeedbackRules } from '../core/feedback/feedback-rules.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { loadKubeConfig } from '../core/kube/load-kube-config.js';
import { openKubeView } from '../core/kube/open-kube-view.js';
import { boundHeapGrowth } from '../core/service/heap-growth.js';
import { linearTimeRegexps } from '../core/service/linear-regexp.js';
import { natsStatusToReadiness, Readiness } from '../core/service/readiness.js';
import { serviceConfig } from '../core/service/service-flags.js';
import { readFlagFile } from '../core/service/trust-flags.js';
import { S3ObjectStore } from '../core/store/s3/s3-object-store.js';
import { Access } from './access.js';
import { AgentEnrollment } from './agent-enrollment.js';
import { Aggregator, type AggregatorParts } from './aggregator.js';
import { AGGREGATOR_USAGE, type AggregatorConfig, aggregatorConfig } from './config.js';
import { KubernetesAccess } from './kube-access.js';
import { RequestHeaderConfig } from './request-header-auth.js';
import { RequestHeaderSource } from './request-header-source.js';

const VERSION = buildInfo().version;

async function main(): Promise<void> {
  const config = serviceConfig('seco-aggregator', AGGREGATOR_USAGE, aggregatorConfig);
  if (!config) return;
  // The config step of a large app's scan runs here (the same heap bound as the CLI's local scans).
  boundHeapGrowth();
  linearTimeRegexps();
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
          toolsServiceAccount: config.toolsServiceAccount,
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
    jobDeadlinesMs: config.jobDeadlinesMs,
    jobDeadlineGraceMs: config.jobDeadlineGraceMs,
    agentStaleMs: config.agentStaleMs,
    busUpSince: () => busUpSince,
    readiness,
    cluster: config.cluster,
    continuous: config.continuous,
    admission: config.admission,
    metrics: config.metrics,
    ...(config.api ? { secureApi: await secureApi(config.api, kube, log) } : {}),
    version: VERSION,
    log,
  });
  const address = await aggregator.start(config.host, config.port);
  if (aggregator.apiAddress)
    log(`aggregated API seco.dev on ${aggregator.apiAddress.address}:${aggregator.apiAddress.port}`);
  else
    log(
      'aggregated API off (no --tls-cert-file): users reach seco only with --aggregator-url and a static token',
    );
  if (aggregator.metricsAddress) process.stdout.write(`metrics ${aggregator.metricsAddress.port}\n`);
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

/** The aggregated API's TLS keys and where it learns whom to believe (request-header-source.ts). */
async function secureApi(
  api: NonNullable<AggregatorConfig['api']>,
  kube: KubeView,
  log: (line: string) => void,
): Promise<NonNullable<AggregatorParts['secureApi']>> {
  const tls = { cert: await readFile(api.certFile, 'utf8'), key: await readFile(api.keyFile, 'utf8') };
  const requestHeader = api.requestHeaderCaFile
    ? RequestHeaderSource.fixed(
        RequestHeaderConfig.parse({
          clientCa: await readFile(api.requestHeaderCaFile, 'utf8'),
          allowedNames: api.requestHeaderAllowedNames,
          usernameHeaders: ['X-Remote-User'],
          groupHeaders: ['X-Remote-Group'],
          extraHeaderPrefixes: ['X-Remote-Extra-'],
          uidHeaders: ['X-Remote-Uid'],
        }),
      )
    : RequestHeaderSource.fromCluster(kube, log);
  return { host: api.host, port: api.port, tls, requestHeader };
}

await main();
