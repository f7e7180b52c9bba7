export { shannonEntropy } from './entropy.js';
export {
  findSecretPatterns,
  findSecrets,
  isPlaceholder,
  maskSecret,
  maskSecretsIn,
  type SecretMatch,
} from './mask.js';
export { isSecretName } from './secret-name.js';
export { SECRET_PATTERNS, type SecretPattern } from './secret-patterns.js';
