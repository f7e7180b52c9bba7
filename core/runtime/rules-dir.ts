import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the built-in rule files are: beside this module when run from source, or in the package's
 * `core/runtime/rules` when run from `dist/` (rules are data, shipped as YAML, not compiled).
 */
export function builtinRuntimeRulesDir(): string {
  const beside = fileURLToPath(new URL('./rules/', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../core/runtime/rules/', import.meta.url));
}
