import { HOST_CHECKS } from '../../host/checks/index.js';

/**
 * Other scanners' controls that are the same control as one of seco's checks. An imported finding on
 * such a control takes seco's check id for its fingerprint, so it and seco's own finding on the same
 * resource are one finding. Kubescape control ids (C-xxxx) from its control library, trivy's
 * Kubernetes checks (KSVxxx, trivy-checks), both mapped to the Pod Security Standards control or
 * hardening check they test.
 */
const CONFIG_CONTROLS: Readonly<Record<string, string>> = {
  'C-0057': 'pss-baseline-privileged',
  'C-0017': 'read-only-root-filesystem',
  'C-0013': 'pss-restricted-run-as-non-root',
  'C-0016': 'pss-restricted-privilege-escalation',
  'C-0038': 'pss-baseline-host-namespaces',
  'C-0041': 'pss-baseline-host-namespaces',
  'C-0044': 'pss-baseline-host-ports',
  'C-0048': 'pss-baseline-host-path-volumes',
  'C-0034': 'service-account-token-automount',
  'C-0046': 'pss-baseline-capabilities',
  'C-0260': 'network-policy-missing',
  KSV001: 'pss-restricted-privilege-escalation',
  KSV003: 'pss-restricted-capabilities',
  KSV005: 'pss-baseline-capabilities',
  KSV008: 'pss-baseline-host-namespaces',
  KSV009: 'pss-baseline-host-namespaces',
  KSV010: 'pss-baseline-host-namespaces',
  KSV011: 'resources-cpu-limit',
  KSV012: 'pss-restricted-run-as-non-root',
  KSV013: 'image-tag-latest',
  KSV014: 'read-only-root-filesystem',
  KSV015: 'resources-cpu-request',
  KSV016: 'resources-memory-request',
  KSV017: 'pss-baseline-privileged',
  KSV018: 'resources-memory-limit',
  KSV023: 'pss-baseline-host-path-volumes',
  KSV024: 'pss-baseline-host-ports',
  KSV030: 'pss-restricted-seccomp',
};

/** seco's config check for another tool's control id, if it is the same control. */
export function configControl(id: string): string | undefined {
  return CONFIG_CONTROLS[id.replace(/^AVD-KSV-0*/, 'KSV').replace(/^KSV0*(\d{3})$/, 'KSV$1')];
}

const HOST_BY_CIS = new Map(HOST_CHECKS.filter((c) => c.cis).map((c) => [c.cis!, c.id]));

/** seco's host check for a CIS Kubernetes Benchmark recommendation number (kube-bench's test_number). */
export function hostControl(cis: string): string | undefined {
  return HOST_BY_CIS.get(cis);
}
