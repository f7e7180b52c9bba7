import { findSecrets, maskSecret } from '../mask/mask.js';
import { type Finding, fingerprint, type ResourceRef } from '../model/index.js';
import type { WantedFile } from './layers/walk-layers.js';

// Files that commonly carry credentials into images: keys, env files, tool credential stores, app config.
const CANDIDATE = new RegExp(
  [
    String.raw`(^|/)\.env(\.[\w-]+)?$`,
    '(^|/)(id_rsa|id_dsa|id_ecdsa|id_ed25519)$',
    String.raw`\.(pem|key|p8|ppk|tfvars)$`,
    String.raw`(^|/)\.(npmrc|pypirc|netrc|git-credentials|pgpass|s3cfg)$`,
    String.raw`(^|/)\.aws/credentials$`,
    String.raw`(^|/)\.docker/config\.json$`,
    String.raw`(^|/)(application|appsettings|config|settings|secrets?)(\.[\w-]+)?\.(ya?ml|json|properties|ini|conf|toml)$`,
    String.raw`(^|/)wp-config\.php$`,
  ].join('|'),
  'i',
);
const SYSTEM_PREFIXES =
  /^(usr\/share\/|usr\/lib\/python3[^/]*\/test|etc\/ssl\/certs\/|usr\/share\/ca-certificates\/)/;
const MAX_BYTES = 1024 * 1024;

export const wantsSecretCandidate = (path: string, size: number) =>
  size < MAX_BYTES && CANDIDATE.test(path) && !SYSTEM_PREFIXES.test(path);

/** A file that holds credential-shaped text: what kinds, and one masked sample (never the value). */
export interface SecretHit {
  path: string;
  layer: string;
  kinds: string[];
  sample: string;
}

/** The candidate files that hold secrets, each masked at once so no value outlives this call. */
export function secretHits(files: readonly WantedFile[]): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const file of files) {
    if (!wantsSecretCandidate(file.path, file.content.length)) continue;
    const text = file.content.toString('utf8');
    const matches = findSecrets(text);
    if (matches.length === 0) continue;
    const kinds = [...new Set(matches.map((m) => m.description))];
    const sample = maskSecret(text.slice(matches[0]!.index, matches[0]!.index + matches[0]!.length));
    hits.push({ path: file.path, layer: file.layer, kinds, sample });
  }
  return hits;
}

/** A finding per file that holds credential-shaped text; the value is masked in the evidence. */
export function secretFindings(hits: readonly SecretHit[], resource: ResourceRef, seenAt: string): Finding[] {
  return hits.map((hit) => {
    const ruleResource = { ...resource, file: `/${hit.path}` };
    return {
      id: fingerprint('image-secret', ruleResource),
      scanner: 'image',
      ruleId: 'image-secret',
      title: 'Secret left in an image layer',
      severity: 'high',
      resource: ruleResource,
      evidence: `/${hit.path} holds ${hit.kinds.join(', ')} (${hit.sample}) — from layer ${hit.layer}`,
      description:
        'Anyone who can pull the image can read credentials baked into its layers, even when a later layer deletes them.',
      remediation:
        'Remove the file from every layer (rebuild without it; use build secrets), then rotate the credential.',
      references: [{ kind: 'mitre', id: 'T1552.001', url: 'https://attack.mitre.org/techniques/T1552/001/' }],
      firstSeen: seenAt,
      lastSeen: seenAt,
      status: 'open',
    };
  });
}
