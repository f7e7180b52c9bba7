import type { ObjectCheck } from '../check.js';
import { mitre, nsa } from './container-check.js';

export const serviceExposed: ObjectCheck = {
  id: 'service-exposed',
  title: 'Service is exposed outside the cluster',
  severity: 'medium',
  description:
    'NodePort and LoadBalancer Services open the application on every node or to the internet, bypassing any ingress control.',
  remediation:
    'Use a ClusterIP Service behind an Ingress or Gateway with TLS and authentication; if exposure is intended, restrict loadBalancerSourceRanges.',
  references: [nsa('Network separation and hardening'), mitre('T1190')],
  target: 'object',
  kinds: ['Service'],
  evaluate(object) {
    const spec = object.spec as { type?: unknown; loadBalancerSourceRanges?: unknown } | undefined;
    const type = spec?.type;
    if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
    const ranges = Array.isArray(spec?.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges : [];
    const open = type === 'NodePort' || ranges.length === 0 || ranges.includes('0.0.0.0/0');
    return open
      ? [
          {
            path: ['spec', 'type'],
            evidence: `Service type is ${type}${type === 'LoadBalancer' ? ' with no source range restriction' : ''}`,
          },
        ]
      : [];
  },
};
