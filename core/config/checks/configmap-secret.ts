import { isRecord } from '../../kube/types.js';
import type { ObjectCheck, Violation } from '../check.js';
import { literalSecret } from './literal-secret.js';
import { mitre, nsa } from './references.js';

export const configMapSecret: ObjectCheck = {
  id: 'configmap-secret',
  title: 'Credential stored in a ConfigMap',
  severity: 'high',
  description:
    'ConfigMaps are not meant for secrets: they are readable by every role that may read configuration (view included), are not encrypted at rest by the Secret encryption provider, and show up in `kubectl describe` and logs. Flagged with the same patterns as literal env values: the shape of a known credential (AWS keys, bearer tokens, JWTs, PEM private keys…) anywhere in a value, or a single value under a key named like one (password, token, api_key…). The value is masked in the evidence.',
  remediation:
    'Move the value into a Secret (mounted as a file) and keep only non-secret settings in the ConfigMap.',
  references: [nsa('Pod security: secrets'), mitre('T1552.007')],
  target: 'object',
  kinds: ['ConfigMap'],
  evaluate(configMap) {
    const data = configMap.data;
    if (!isRecord(data)) return [];
    const violations: Violation[] = [];
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string') continue;
      const found = literalSecret(key, value, true);
      if (!found) continue;
      violations.push({
        path: ['data', key],
        evidence: `data[${JSON.stringify(key)}] holds ${JSON.stringify(found.masked)} (${found.why})`,
      });
    }
    return violations;
  },
};
