import type { HostCheck, HostFacts } from '../host-check.js';
import { effectiveSetting } from '../kubelet-setting.js';
import { type FileCheckDefinition, fileModeCheck, fileOwnerCheck } from './file-check.js';

type Files = (facts: HostFacts) => Promise<string[]>;

const first = (value: string | undefined, fallback: string[]): string[] => (value ? [value] : fallback);

const kubeletService: Files = async (f) => f.kubelet.serviceFiles;
const proxyKubeconfig: Files = async (f) =>
  first(
    f.proxy.flags.get('kubeconfig') ||
      effectiveSetting(f.proxy, { flag: 'kubeconfig', configPath: ['clientConnection', 'kubeconfig'] }).value,
    ['/etc/kubernetes/proxy.conf', '/var/lib/kube-proxy/kubeconfig', '/etc/kubernetes/kube-proxy.conf'],
  );
const kubeletKubeconfig: Files = async (f) =>
  first(f.kubelet.flags.get('kubeconfig'), ['/etc/kubernetes/kubelet.conf']);
const clientCa: Files = async (f) =>
  first(
    effectiveSetting(f.kubelet, {
      flag: 'client-ca-file',
      configPath: ['authentication', 'x509', 'clientCAFile'],
    }).value,
    ['/etc/kubernetes/pki/ca.crt'],
  );
const kubeletConfig: Files = async (f) =>
  first(f.kubelet.configPath ?? f.kubelet.flags.get('config'), ['/var/lib/kubelet/config.yaml']);

function pair(
  cis: [string, string],
  id: string,
  what: string,
  files: Files,
  severity: FileCheckDefinition['severity'] = 'medium',
): HostCheck[] {
  const common = { files, what, severity };
  return [
    fileModeCheck(
      {
        ...common,
        id: `${id}-permissions`,
        cis: cis[0],
        title: `${capitalize(what)} permissions are wider than 600`,
        description: `Anyone on the node who can read or change ${what} can read credentials or change how the node joins the cluster.`,
      },
      0o600,
    ),
    fileOwnerCheck({
      ...common,
      id: `${id}-ownership`,
      cis: cis[1],
      title: `${capitalize(what)} is not owned by root:root`,
      description: `A non-root owner of ${what} can change it without any other privilege.`,
    }),
  ];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** CIS Kubernetes Benchmark 4.1: worker node configuration files. */
export const NODE_FILE_CHECKS: readonly HostCheck[] = [
  ...pair(['4.1.1', '4.1.2'], 'kubelet-service-file', 'the kubelet service file', kubeletService),
  ...pair(['4.1.3', '4.1.4'], 'kube-proxy-kubeconfig', 'the kube-proxy kubeconfig', proxyKubeconfig),
  ...pair(['4.1.5', '4.1.6'], 'kubelet-kubeconfig', 'the kubelet kubeconfig', kubeletKubeconfig, 'high'),
  ...pair(['4.1.7', '4.1.8'], 'kubelet-client-ca', 'the client certificate authorities file', clientCa),
  ...pair(['4.1.9', '4.1.10'], 'kubelet-config-file', 'the kubelet config file', kubeletConfig, 'high'),
];
