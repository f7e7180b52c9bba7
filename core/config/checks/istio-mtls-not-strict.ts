import type { KubeObject } from '../../kube/types.js';
import type { Inventory, ObjectCheck } from '../check.js';
import { nsa } from './container-check.js';

const ISTIO_ROOT_NAMESPACE = 'istio-system';

const isMeshed = (ns: KubeObject) => {
  const labels = ns.metadata?.labels ?? {};
  return (
    labels['istio-injection'] === 'enabled' ||
    (typeof labels['istio.io/rev'] === 'string' && labels['istio-injection'] !== 'disabled')
  );
};

function modeOf(policy: KubeObject): string | undefined {
  const mode = (policy.spec as { mtls?: { mode?: unknown } } | undefined)?.mtls?.mode;
  return typeof mode === 'string' ? mode : undefined;
}

function hasSelector(policy: KubeObject): boolean {
  const selector = (policy.spec as { selector?: { matchLabels?: object } } | undefined)?.selector;
  return selector !== undefined && selector !== null && Object.keys(selector.matchLabels ?? {}).length > 0;
}

/** The namespace-wide policy, else the mesh-wide one in the root namespace: Istio's order of precedence. */
function effectiveMode(namespace: string, inventory: Inventory): { mode?: string; from: string } {
  const wide = (ns: string) => inventory.ofKind('PeerAuthentication', ns).find((p) => !hasSelector(p));
  const own = wide(namespace);
  if (own) return { mode: modeOf(own), from: `PeerAuthentication ${namespace}/${own.metadata?.name}` };
  const mesh = wide(ISTIO_ROOT_NAMESPACE);
  if (mesh)
    return {
      mode: modeOf(mesh),
      from: `mesh-wide PeerAuthentication ${ISTIO_ROOT_NAMESPACE}/${mesh.metadata?.name}`,
    };
  return { from: 'no PeerAuthentication' };
}

export const istioMtlsNotStrict: ObjectCheck = {
  id: 'istio-mtls-not-strict',
  title: 'Meshed namespace does not require mutual TLS',
  severity: 'medium',
  description:
    'Without STRICT mTLS, sidecars still accept plaintext: traffic can be read and spoofed by anything that reaches the pods.',
  remediation:
    'Apply a PeerAuthentication with spec.mtls.mode: STRICT in the namespace (or mesh-wide in istio-system), and no workload-level PERMISSIVE/DISABLE exceptions.',
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
    if (object.kind === 'PeerAuthentication') {
      // A workload- or port-level exception weakens a STRICT namespace for the pods it selects.
      const mode = modeOf(object);
      const ports = Object.values(
        (object.spec as { portLevelMtls?: Record<string, { mode?: unknown }> } | undefined)?.portLevelMtls ??
          {},
      );
      const weak = [mode, ...ports.map((p) => p?.mode)].filter((m) => m === 'PERMISSIVE' || m === 'DISABLE');
      return hasSelector(object) && weak.length > 0
        ? [{ path: ['spec'], evidence: `workload PeerAuthentication sets ${weak.join(', ')}` }]
        : [];
    }
    if (!isMeshed(object)) return [];
    const name = object.metadata?.name ?? '';
    const { mode, from } = effectiveMode(name, inventory);
    return mode === 'STRICT'
      ? []
      : [
          {
            path: ['metadata', 'labels'],
            evidence: `namespace ${JSON.stringify(name)} is meshed; mTLS mode is ${mode ?? 'the Istio default (PERMISSIVE)'} (${from})`,
          },
        ];
  },
};
