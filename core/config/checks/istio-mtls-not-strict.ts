import type { KubeObject } from '../../kube/types.js';
import { isRecord } from '../../kube/types.js';
import type { Inventory, ObjectCheck, Violation } from '../check.js';
import { nsa } from './references.js';

// meshConfig.rootNamespace defaults to istio-system; a policy there without a selector is mesh-wide.
const ISTIO_ROOT_NAMESPACE = 'istio-system';
const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);

/** Sidecar injection (istio-injection=enabled, or a revision label not overridden) or ambient mode. */
function isMeshed(ns: KubeObject): boolean {
  const labels = isRecord(ns.metadata?.labels) ? ns.metadata.labels : {};
  if (labels['istio-injection'] === 'enabled') return true;
  if (labels['istio-injection'] === 'disabled') return false;
  return typeof labels['istio.io/rev'] === 'string' || labels['istio.io/dataplane-mode'] === 'ambient';
}

const specOf = (policy: KubeObject) => (isRecord(policy.spec) ? policy.spec : {});

/** spec.mtls.mode; UNSET (or absent) means "inherit from the parent scope". */
function modeOf(policy: KubeObject): string | undefined {
  const mtls = specOf(policy).mtls;
  const mode = isRecord(mtls) ? mtls.mode : undefined;
  return typeof mode === 'string' && mode !== 'UNSET' ? mode : undefined;
}

// Istio treats a policy whose selector has no matchLabels as namespace-wide.
function isWorkloadScoped(policy: KubeObject): boolean {
  const selector = specOf(policy).selector;
  return isRecord(selector) && isRecord(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0;
}

// When several namespace-wide policies exist Istio uses the oldest; without timestamps, the first given.
function namespaceWide(inventory: Inventory, namespace: string): KubeObject | undefined {
  const created = (p: KubeObject) => {
    const t = p.metadata?.creationTimestamp;
    return typeof t === 'string' && !Number.isNaN(Date.parse(t)) ? Date.parse(t) : Number.POSITIVE_INFINITY;
  };
  const wide = inventory.ofKind('PeerAuthentication', namespace).filter((p) => !isWorkloadScoped(p));
  return wide.reduce<KubeObject | undefined>(
    (oldest, p) => (oldest && created(oldest) <= created(p) ? oldest : p),
    undefined,
  );
}

/** Namespace-wide mode, else mesh-wide, else Istio's default PERMISSIVE: the order Istio resolves them in. */
function effectiveMode(namespace: string, inventory: Inventory): { mode: string; from: string } {
  const own = namespaceWide(inventory, namespace);
  const ownMode = own && modeOf(own);
  if (own && ownMode) return { mode: ownMode, from: `PeerAuthentication ${namespace}/${own.metadata?.name}` };
  const mesh = namespaceWide(inventory, ISTIO_ROOT_NAMESPACE);
  const meshMode = mesh && modeOf(mesh);
  if (mesh && meshMode)
    return {
      mode: meshMode,
      from: `mesh-wide PeerAuthentication ${ISTIO_ROOT_NAMESPACE}/${mesh.metadata?.name}`,
    };
  return {
    mode: 'PERMISSIVE',
    from: 'no STRICT PeerAuthentication for the namespace or the mesh: Istio default',
  };
}

/** Explicit PERMISSIVE/DISABLE in a PeerAuthentication, at policy or port level. */
function weakSettings(policy: KubeObject): Violation[] {
  const violations: Violation[] = [];
  const name = `${policy.metadata?.namespace ?? ''}/${policy.metadata?.name ?? ''}`;
  const mode = modeOf(policy);
  if (mode && WEAK_MODES.has(mode))
    violations.push({
      path: ['spec', 'mtls', 'mode'],
      evidence: `PeerAuthentication ${name} sets mtls mode ${mode}`,
    });
  const ports = specOf(policy).portLevelMtls;
  if (isRecord(ports))
    for (const [port, setting] of Object.entries(ports)) {
      const portMode = isRecord(setting) ? setting.mode : undefined;
      if (typeof portMode === 'string' && WEAK_MODES.has(portMode))
        violations.push({
          path: ['spec', 'portLevelMtls', port, 'mode'],
          evidence: `PeerAuthentication ${name} sets mtls mode ${portMode} on port ${port}`,
        });
    }
  return violations;
}

export const istioMtlsNotStrict: ObjectCheck = {
  id: 'istio-mtls-not-strict',
  title: 'Meshed namespace does not require mutual TLS',
  severity: 'medium',
  description:
    "Without STRICT mTLS, Istio sidecars (or ztunnel) still accept plaintext: traffic can be read and spoofed by anything that reaches the pods. Judged when the input holds PeerAuthentications (otherwise the mesh's policy is not known): a meshed Namespace (istio-injection=enabled, istio.io/rev, or ambient) whose namespace-wide — else mesh-wide, in istio-system — PeerAuthentication is not STRICT is a finding, and so is every PeerAuthentication that explicitly sets PERMISSIVE or DISABLE, for the workload or one of its ports.",
  remediation:
    'Apply a PeerAuthentication with spec.mtls.mode: STRICT in the namespace (or mesh-wide in istio-system), and remove workload- and port-level PERMISSIVE/DISABLE exceptions.',
  references: [
    nsa('Network separation and hardening: service mesh'),
    {
      kind: 'url',
      id: 'Istio PeerAuthentication',
      url: 'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
    },
  ],
  target: 'object',
  kinds: ['Namespace', 'PeerAuthentication'],
  evaluate(object, inventory) {
    if (object.kind === 'PeerAuthentication') return weakSettings(object);
    if (!isMeshed(object) || inventory.ofKind('PeerAuthentication').length === 0) return [];
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    const { mode, from } = effectiveMode(name, inventory);
    return mode === 'STRICT'
      ? []
      : [
          {
            path: ['metadata', 'labels'],
            evidence: `namespace ${JSON.stringify(name)} is meshed and its mTLS mode is ${mode} (${from})`,
          },
        ];
  },
};
