import { loadKubeConfig } from '../../core/kube/load-kube-config.js';

/** The namespace kubectl would use without -n: the context's, else `default`. */
export function contextNamespace(flags: { kubeconfig?: string; context?: string }): string {
  try {
    const kc = loadKubeConfig(flags);
    return kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
  } catch {
    return 'default';
  }
}
