import type { HostCheck } from '../host-check.js';
import { KUBE_PROXY_CHECKS } from './kube-proxy.js';
import { KUBELET_CHECKS } from './kubelet.js';
import { NODE_FILE_CHECKS } from './node-files.js';
import { PKI_CHECKS } from './pki-files.js';
import { SSHD_CHECKS } from './sshd.js';
import { SYSCTL_CHECKS } from './sysctls.js';

/** Every host check, in benchmark order: CIS worker node files, kubelet, kube-proxy, PKI, then OS hardening. */
export const HOST_CHECKS: readonly HostCheck[] = [
  ...NODE_FILE_CHECKS,
  ...KUBELET_CHECKS,
  ...KUBE_PROXY_CHECKS,
  ...PKI_CHECKS,
  ...SYSCTL_CHECKS,
  ...SSHD_CHECKS,
];
