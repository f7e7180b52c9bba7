import type { Reference } from '../../model/index.js';

export const NSA_GUIDE =
  'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF';

/** A section of the NSA/CISA Kubernetes Hardening Guide v1.2 (August 2022). */
export const nsa = (section: string): Reference => ({
  kind: 'nsa',
  id: `NSA/CISA Kubernetes Hardening Guide v1.2: ${section}`,
  url: NSA_GUIDE,
});

/** A control of the CIS Kubernetes Benchmark (section 5: policies). */
export const cis = (id: string): Reference => ({
  kind: 'cis',
  id,
  url: 'https://www.cisecurity.org/benchmark/kubernetes',
});

/** A MITRE ATT&CK technique, `T1552` or sub-technique `T1552.007`. */
export const mitre = (id: string): Reference => ({
  kind: 'mitre',
  id,
  url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`,
});

export const IMAGE_PINNING = nsa('Container image security: use trusted, versioned images');
