import { isRecord } from '../../kube/types.js';
import type { ObjectCheck, Violation } from '../check.js';
import { mitre, nsa } from './references.js';

const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function typeFinding(spec: Record<string, unknown>): Violation[] {
  const type = spec.type;
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  const ranges = strings(spec.loadBalancerSourceRanges);
  const detail =
    type === 'NodePort'
      ? 'opens a port on every node'
      : ranges.length === 0 || ranges.some((r) => r === '0.0.0.0/0' || r === '::/0')
        ? 'is reachable from any address'
        : `is limited to ${ranges.join(', ')} (its node ports stay open on every node)`;
  return [{ path: ['spec', 'type'], evidence: `Service type ${type} ${detail}` }];
}

export const serviceExposed: ObjectCheck = {
  id: 'service-exposed',
  title: 'Service is exposed outside the cluster',
  severity: 'medium',
  description:
    'NodePort and LoadBalancer Services open the application on every node or through a cloud load balancer, and externalIPs route outside traffic to it (and can hijack traffic, CVE-2020-8554) — bypassing the ingress layer where TLS, authentication and rate limits live. loadBalancerSourceRanges narrows a LoadBalancer but the node ports it allocates stay open, so it is still reported, with its ranges.',
  remediation:
    'Use a ClusterIP Service behind an Ingress or Gateway with TLS and authentication; if exposure is intended, restrict loadBalancerSourceRanges and firewall the node ports.',
  references: [nsa('Network separation and hardening'), mitre('T1190')],
  target: 'object',
  kinds: ['Service'],
  evaluate(object) {
    const spec = isRecord(object.spec) ? object.spec : {};
    const violations = typeFinding(spec);
    const external = strings(spec.externalIPs);
    if (external.length > 0)
      violations.push({
        path: ['spec', 'externalIPs'],
        evidence: `Service routes externalIPs ${external.join(', ')}`,
      });
    return violations;
  },
};
