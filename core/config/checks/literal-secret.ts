import { findSecrets, isPlaceholder, maskSecret } from '../../mask/mask.js';
import { isSecretName } from '../../mask/secret-name.js';

// `$(OTHER_VAR)` expands another variable at container start (core/v1 EnvVar.value): what is left
// once references are removed is the literal part of the value.
const REFERENCE = /\$\([A-Za-z_][\w.-]*\)/g;

// A value that points at the secret (GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json, a vault URL)
// rather than being it; a URL that does embed a password is caught by its shape above.
const POINTER = /^(?:\/[\w.@+-]+(?:\/[\w.@+-]+)+|[a-z][a-z0-9+.-]*:\/\/\S+)$/i;

/** A credential found in a named value (an env var, a ConfigMap key): why it is one, and the masked text. */
export interface LiteralSecret {
  why: string;
  masked: string;
}

/**
 * Why `value`, stored under `name`, is a literal credential — by its shape (AWS, GitHub, Slack, JWT,
 * PEM key…) or, for a short single value, by its name (PASSWORD, TOKEN…) — or undefined. The masked
 * text shows only the credential's masked form, never the value in clear.
 */
export function literalSecret(name: unknown, value: string, fileValues = false): LiteralSecret | undefined {
  const literal = value.replace(REFERENCE, '');
  if (isPlaceholder(literal)) return undefined;
  const byShape = findSecrets(value)[0];
  if (byShape)
    return {
      why: `looks like a ${byShape.description}`,
      masked: maskSecret(value.slice(byShape.index, byShape.index + byShape.length)),
    };
  if (POINTER.test(literal.trim())) return undefined;
  // A whole configuration file (a ConfigMap value) under a credential-like key is not itself the credential.
  if (fileValues && value.includes('\n')) return undefined;
  return typeof name === 'string' && isSecretName(name)
    ? { why: 'its name says it is a credential', masked: maskSecret(value) }
    : undefined;
}
