import { Command, Flags } from '@oclif/core';
import { DEFAULT_SECO_NAMESPACE, kubeFlags } from '../cluster/kube-flags.js';
import { EXIT_INPUT } from '../output/emit-report.js';

export default class Install extends Command {
  static override summary = 'Install seco in the current cluster (aggregator, agents, NATS, Minio).';
  static override description =
    `Applies seco's manifests (a kustomize base) with server-side apply, field manager
kubectl-seco, to the cluster of the current kubeconfig context. Running it again updates the stack
in place. The Minio credentials Secret is made with random keys on first install and kept after.`;

  static override examples = [
    '<%= config.bin %> install --wait',
    '<%= config.bin %> install --dry-run > seco.yaml',
    '<%= config.bin %> install --context prod -n security',
  ];

  static override flags = {
    ...kubeFlags,
    namespace: Flags.string({
      char: 'n',
      description: 'namespace to install into',
      default: DEFAULT_SECO_NAMESPACE,
    }),
    'dry-run': Flags.boolean({ description: 'print the YAML that would be applied; change nothing' }),
    wait: Flags.boolean({ description: 'wait until the aggregator, agents, NATS and Minio have rolled out' }),
    timeout: Flags.integer({ description: 'seconds --wait waits', default: 300, min: 1 }),
    'force-conflicts': Flags.boolean({ description: 'take over fields another field manager owns' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Install);
    const [{ manifestsDir }, { renderBase }, { installStack, renderYaml }, { loadKubeConfig }] =
      await Promise.all([
        import('../install/manifests-dir.js'),
        import('../install/render-base.js'),
        import('../install/install-stack.js'),
        import('../../core/kube/load-kube-config.js'),
      ]);
    const base = await renderBase(manifestsDir(), { namespace: flags.namespace });
    if (flags['dry-run']) {
      process.stdout.write(renderYaml(base));
      return;
    }
    let kc: ReturnType<typeof loadKubeConfig>;
    try {
      kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const log = (line: string) => this.log(line);
    try {
      await installStack(base, {
        kc,
        log,
        forceConflicts: flags['force-conflicts'],
        waitMs: flags.wait ? flags.timeout * 1000 : undefined,
      });
    } catch (error) {
      this.error((error as Error).message, { exit: 1 });
    }
    this.log(`seco is installed in namespace ${base.namespace}${flags.wait ? ' and running' : ''}`);
  }
}
