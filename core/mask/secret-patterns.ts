/**
 * Shapes of credentials that must never be shown in clear — in env values, image layers, command
 * lines. Data, not logic: the scanners share this list; `mask.ts` applies it.
 */
export interface SecretPattern {
  id: string;
  description: string;
  /** Global regex; the whole match is the secret (context is kept out of it with lookarounds). */
  regex: RegExp;
  /**
   * Set for patterns keyed on a variable name rather than on the value's own format: the value is
   * dropped when it is a placeholder or a reference (`$(VAR)`, `${VAR}`, `{{ .x }}`, `<password>`, `****`).
   */
  assignment?: boolean;
  /** Minimum Shannon entropy, bits per character, for the match to count. */
  minEntropy?: number;
}

// Names that end in a credential word, as in `DB_PASSWORD=`, `"apiKey":`, `--client-secret `.
const CREDENTIAL_NAME = String.raw`[\w.-]*?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)`;
// Names that merely contain a key-ish word, for the high-entropy rule: `SESSION_KEY_BASE=`, `signing.key:`.
const KEYISH_NAME = String.raw`[\w.-]*?(?:key|secret|token|auth|credential|signature|salt)[\w.-]*?`;
const ASSIGN = String.raw`["']?\s*[=:]\s*["']?`;
// `NAME=value`, `"name": "value"`, or a command-line flag followed by its value: `--db-password value`.
const CREDENTIAL_CONTEXT = String.raw`(?:(?:^|[^\w.-])${CREDENTIAL_NAME}${ASSIGN}|(?:^|\s)--?${CREDENTIAL_NAME}\s+["']?)`;

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'private-key',
    description: 'PEM private key',
    regex:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex: /(?<=aws_?secret_?access_?key["']?\s*[=:\s]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
  },
  {
    id: 'github-token',
    description: 'GitHub token',
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  { id: 'gitlab-token', description: 'GitLab token', regex: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  {
    id: 'slack-webhook',
    description: 'Slack incoming webhook URL',
    regex: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/g,
  },
  { id: 'stripe-key', description: 'Stripe secret key', regex: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/g },
  { id: 'google-api-key', description: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { id: 'npm-token', description: 'npm access token', regex: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'pypi-token', description: 'PyPI API token', regex: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  {
    id: 'sendgrid-key',
    description: 'SendGrid API key',
    regex: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key',
    regex: /(?<=AccountKey=)[A-Za-z0-9+/]{86}==/g,
  },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    id: 'url-credentials',
    description: 'password in a URL',
    regex: /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/gi,
    assignment: true,
  },
  {
    id: 'password-assignment',
    description: 'password assignment',
    regex: new RegExp(String.raw`(?<=${CREDENTIAL_CONTEXT})[^\s"'&;,]{4,}`, 'gim'),
    assignment: true,
  },
  {
    id: 'high-entropy-assignment',
    description: 'high-entropy value assigned to a key or secret',
    regex: new RegExp(
      String.raw`(?<=(?:^|[^\w.-])${KEYISH_NAME}["']?\s*[=:]\s*["']?)[A-Za-z0-9+/=_.-]{20,}`,
      'gim',
    ),
    assignment: true,
    minEntropy: 3.5,
  },
];
