/** Shapes of credentials that must never be shown in clear: in env values, layers, command lines. */
export interface SecretPattern {
  id: string;
  description: string;
  regex: RegExp;
}

// Each regex is global so every occurrence in a text is found; anchoring is left to the context.
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: 'private-key',
    description: 'PEM private key',
    regex:
      /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key',
    regex: /(?<=aws_?secret_?access_?key["'\s:=]+)[A-Za-z0-9/+=]{40}\b/gi,
  },
  {
    id: 'github-token',
    description: 'GitHub token',
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  },
  { id: 'gitlab-token', description: 'GitLab token', regex: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'slack-token', description: 'Slack token', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { id: 'stripe-key', description: 'Stripe secret key', regex: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/g },
  { id: 'google-api-key', description: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    id: 'jwt',
    description: 'JSON Web Token',
    regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  },
  {
    id: 'url-credentials',
    description: 'password in a URL',
    regex: /(?<=[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/gi,
  },
  {
    id: 'password-assignment',
    description: 'password assignment',
    regex: /(?<=\b(?:password|passwd|pwd|secret|token|api[_-]?key)\s*[=:]\s*["']?)[^\s"'&]{4,}/gi,
  },
];

/** Environment variable and key names that say their value is a credential. */
export const SECRET_NAME =
  /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth[_-]?key|access[_-]?key|client[_-]?secret|signing[_-]?key)/i;
