import { Command, Flags } from '@oclif/core';
import { DEFAULT_SECO_NAMESPACE, kubeFlags } from '../cluster/kube-flags.js';
import { EXIT_INPUT } from '../output/exit-codes.js';

export default class Install extends Command {
  static override summary = 'Install seco in the current cluster (aggregator, agents, NATS, Minio).';
  // One line per paragraph: oclif wraps them to the terminal.
  static override description = [
    "Applies seco's manifests (a kustomize base) with server-side apply, field manager kubectl-seco, to the cluster of the current kubeconfig context. Running it again upgrades the stack in place: the volumes (PersistentVolumeClaims) and the Minio credentials Secret are kept, and a changed image rolls the pods.",
    "Every image is pinned by digest: each tag is resolved through its registry (with --image-pull-secret's credentials, else your docker config) and applied as name:tag@sha256:…; --dry-run resolves too. seco's image follows this plugin's version. A tag that cannot be resolved stops the install (exit 2); --no-resolve keeps the tags. Registries on 127.0.0.1/localhost and those named by --insecure-registry are reached over plain HTTP.",
    "--image-registry HOST[/PREFIX] pulls NATS, Minio and seco from a mirror, keeping each image's path: docker.io/library/nats:2.10.24-alpine becomes HOST/PREFIX/library/nats:2.10.24-alpine. --image REF is used exactly as given.",
    '--nats-url and --s3-endpoint use servers you already run: no NATS or Minio is deployed, and the aggregator and agents are pointed at yours (S3 keys from --s3-credentials-secret, a Secret in the install namespace with keys access-key and secret-key). --image-pull-secret, too, names a Secret in the install namespace.',
    "The bus's trust is made here (SECURITY.md): a CA and TLS certificates for NATS and Minio, nats.conf in operator mode, and the NATS users of the aggregator and of agent enrollment, as Secrets each component mounts. Every install renews the CA and certificates and rolls the pods; the NATS operator and account keys are kept (users already issued stay valid, JetStream keeps its data) unless --rotate-bus-keys is given. The agent DaemonSet runs in --agent-namespace (default seco-agents), the only namespace labelled Pod Security privileged; seco's namespace enforces restricted. An install of the older one-namespace layout is moved over.",
    "--set KEY=VALUE keys: aggregator.replicas; {aggregator,agent,nats,minio}.resources.{requests,limits}.{cpu,memory}; {nats,minio}.storage. --storage-class and {nats,minio}.storage apply when the volumes are made: an upgrade keeps the installed ones (a StatefulSet's volume templates cannot change).",
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> install --wait',
    '<%= config.bin %> install --dry-run > seco.yaml',
    '<%= config.bin %> install --context prod -n security',
    '<%= config.bin %> install --image-registry mirror.corp:5000/seco --image-pull-secret mirror-pull',
    '<%= config.bin %> install --nats-url nats://nats.infra:4222 --s3-endpoint https://s3.corp --s3-credentials-secret seco-s3 --s3-bucket seco-results',
    '<%= config.bin %> install --storage-class fast --set aggregator.replicas=3 --set nats.storage=20Gi',
  ];

  static override flags = {
    ...kubeFlags,
    namespace: Flags.string({
      char: 'n',
      description: 'namespace to install into',
      default: DEFAULT_SECO_NAMESPACE,
    }),
    'agent-namespace': Flags.string({
      description:
        "the agents' own namespace (Pod Security privileged; seco's namespace enforces restricted)",
      default: 'seco-agents',
    }),
    'metrics-namespace': Flags.string({
      description:
        "namespace whose pods may scrape the aggregator's metrics port 9090 (repeatable; default monitoring)",
      multiple: true,
    }),
    'rotate-bus-keys': Flags.boolean({
      description:
        'also make new NATS operator/account keys (certificates are always renewed): every issued NATS user and JetStream state is dropped',
    }),
    'dry-run': Flags.boolean({
      description: 'print the YAML that would be applied (digests resolved); change nothing',
    }),
    wait: Flags.boolean({ description: 'wait until the aggregator, agents, NATS and Minio have rolled out' }),
    timeout: Flags.integer({ description: 'seconds --wait waits', default: 300, min: 1 }),
    'force-conflicts': Flags.boolean({ description: 'take over fields another field manager owns' }),
    image: Flags.string({
      description: "seco's image (REF), used as given instead of ghcr.io/seco-dev/seco:<version>",
    }),
    'image-registry': Flags.string({ description: 'pull every image from this mirror (HOST[/PREFIX])' }),
    'image-pull-secret': Flags.string({
      description:
        'dockerconfigjson Secret in the namespace: used to resolve digests and set as imagePullSecrets',
    }),
    'no-resolve': Flags.boolean({ description: 'keep image tags; do not pin digests' }),
    'insecure-registry': Flags.string({
      description: 'registry host[:port] to reach over plain HTTP (repeatable)',
      multiple: true,
    }),
    'nats-url': Flags.string({ description: 'use this NATS (nats:// or tls://) and deploy none' }),
    's3-endpoint': Flags.string({
      description: 'use this S3 endpoint (http(s)://HOST[:PORT]) and deploy no Minio',
    }),
    's3-credentials-secret': Flags.string({
      description: 'Secret with keys access-key and secret-key for --s3-endpoint',
    }),
    's3-bucket': Flags.string({ description: 'bucket for results (default seco)' }),
    'storage-class': Flags.string({ description: "StorageClass of NATS' and Minio's volumes" }),
    set: Flags.string({ description: 'KEY=VALUE override (repeatable; keys listed below)', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Install);
    const [
      { manifestsDir },
      { settingsFromFlags },
      { prepareStack },
      stack,
      { loadKubeConfig },
      { buildInfo },
    ] = await Promise.all([
      import('../install/manifests-dir.js'),
      import('../install/settings-from-flags.js'),
      import('../install/prepare-stack.js'),
      import('../install/install-stack.js'),
      import('../../core/kube/load-kube-config.js'),
      import('../../core/build/build-info.js'),
    ]);
    const fail = (error: unknown, exit: number): never => this.error((error as Error).message, { exit });
    let settings: ReturnType<typeof settingsFromFlags>;
    let kc: ReturnType<typeof loadKubeConfig> | undefined;
    try {
      settings = settingsFromFlags(flags, buildInfo().version);
      if (!flags['dry-run'] || settings.imagePullSecret)
        kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    } catch (error) {
      return fail(error, EXIT_INPUT);
    }
    let base: Awaited<ReturnType<typeof prepareStack>>['base'];
    try {
      ({ base } = await prepareStack(manifestsDir(), settings, {
        ...(kc ? { kc } : {}),
        noResolve: flags['no-resolve'],
        insecureRegistries: flags['insecure-registry'] ?? [],
        note: (line) => this.logToStderr(line),
      }));
    } catch (error) {
      return fail(error, EXIT_INPUT);
    }
    if (flags['dry-run']) return void process.stdout.write(stack.renderYaml(base));
    try {
      await stack.installStack(base, {
        kc: kc!,
        log: (line) => this.log(line),
        forceConflicts: flags['force-conflicts'],
        rotateBusKeys: flags['rotate-bus-keys'],
        waitMs: flags.wait ? flags.timeout * 1000 : undefined,
        ...(settings.s3 ? { s3CredentialsSecret: settings.s3.credentialsSecret } : {}),
      });
    } catch (error) {
      return fail(error, 1);
    }
    this.log(`seco is installed in namespace ${base.namespace}${flags.wait ? ' and running' : ''}`);
  }
}
