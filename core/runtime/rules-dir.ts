import { resourcePath } from '../build/resource-root.js';

/**
 * Where the built-in rule files are: `core/runtime/rules` of the package (rules are data, shipped as
 * YAML, not compiled), found by the resource locator in source, dist/ and the single executable.
 */
export function builtinRuntimeRulesDir(): string {
  return resourcePath('core/runtime/rules');
}
