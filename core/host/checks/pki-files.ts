import type { HostCheck, HostFacts } from '../host-check.js';
import { fileModeCheck, fileOwnerCheck } from './file-check.js';

const PKI_DIRS = ['/etc/kubernetes/pki', '/etc/kubernetes/pki/etcd', '/var/lib/kubelet/pki'];

async function pkiFiles(facts: HostFacts, wanted: (name: string) => boolean): Promise<string[]> {
  const files: string[] = [];
  for (const dir of PKI_DIRS)
    for (const name of await facts.host.list(dir)) if (wanted(name)) files.push(`${dir}/${name}`);
  return files;
}

// kubelet-client-*.pem and kubelet-server-*.pem hold the key next to the certificate.
const isKey = (name: string) => /\.key$|-key\.pem$|^kubelet-(client|server)-.*\.pem$/.test(name);
const isCert = (name: string) => /\.crt$/.test(name) || (/\.pem$/.test(name) && !isKey(name));

/** CIS Kubernetes Benchmark 1.1.19–1.1.21, applied to every node's PKI directories (control plane and kubelet). */
export const PKI_CHECKS: readonly HostCheck[] = [
  fileOwnerCheck({
    id: 'pki-ownership',
    cis: '1.1.19',
    title: 'Kubernetes PKI files are not owned by root:root',
    severity: 'high',
    description: 'Certificates and keys owned by another user can be replaced or read without root.',
    what: 'Kubernetes PKI files',
    files: (f) => pkiFiles(f, (n) => isKey(n) || isCert(n)),
  }),
  fileModeCheck(
    {
      id: 'pki-certificate-permissions',
      cis: '1.1.20',
      title: 'Kubernetes certificate files are more permissive than 600',
      severity: 'medium',
      description:
        'Certificate files should be writable by root alone so they cannot be swapped for an attacker’s.',
      what: 'Kubernetes certificate files',
      files: (f) => pkiFiles(f, isCert),
    },
    0o600,
  ),
  fileModeCheck(
    {
      id: 'pki-key-permissions',
      cis: '1.1.21',
      title: 'Kubernetes private key files are readable by others',
      severity: 'critical',
      description: 'A readable private key lets anyone on the node impersonate the component it belongs to.',
      what: 'Kubernetes private key files',
      files: (f) => pkiFiles(f, isKey),
    },
    0o600,
  ),
];
