import { Command, Flags } from '@oclif/core';
import { DEFAULT_SECO_NAMESPACE, kubeFlags } from '../cluster/kube-flags.js';
import { EXIT_INPUT } from '../output/exit-codes.js';

export default class Uninstall extends Command {
  static override summary = 'Remove seco from the cluster: everything install made, stored results included.';
  static override description = [
    `Deletes the objects kubectl seco install applied, the generated Minio credentials and the bus's Secrets (certificates, NATS keys and users), the agents' namespace, then seco's namespace if it is seco's own (labelled app.kubernetes.io/part-of=seco) — which also deletes the NATS and Minio volumes, so stored scan results are gone. A namespace seco did not create is kept. With --keep-data the volumes (PersistentVolumeClaims), the Minio credentials and NATS keys Secrets and therefore seco's namespace stay: a later install picks the data up again.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> uninstall',
    '<%= config.bin %> uninstall --context prod -n security',
    '<%= config.bin %> uninstall --keep-data',
  ];

  static override flags = {
    ...kubeFlags,
    namespace: Flags.string({
      char: 'n',
      description: 'namespace seco was installed into',
      default: DEFAULT_SECO_NAMESPACE,
    }),
    'agent-namespace': Flags.string({
      description: "the agents' namespace seco was installed with",
      default: 'seco-agents',
    }),
    'keep-data': Flags.boolean({
      description: 'keep the volumes, the Minio credentials Secret and the namespace',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Uninstall);
    const [{ manifestsDir }, { renderBase }, { uninstallStack }, { loadKubeConfig }] = await Promise.all([
      import('../install/manifests-dir.js'),
      import('../install/render-base.js'),
      import('../install/install-stack.js'),
      import('../../core/kube/load-kube-config.js'),
    ]);
    const base = await renderBase(manifestsDir(), {
      namespace: flags.namespace,
      agentNamespace: flags['agent-namespace'],
    });
    let kc: ReturnType<typeof loadKubeConfig>;
    try {
      kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    try {
      await uninstallStack(base, { kc, log: (line) => this.log(line), keepData: flags['keep-data'] });
    } catch (error) {
      this.error((error as Error).message, { exit: 1 });
    }
  }
}
