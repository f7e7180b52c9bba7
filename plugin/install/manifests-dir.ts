import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `manifests/` kustomize base shipped in the package. Found by walking up from this file, which
 * sits at plugin/install/ in the source tree and dist/plugin/install/ in the built package.
 */
export function manifestsDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'manifests');
    if (existsSync(join(candidate, 'kustomization.yaml'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`seco's manifests/ directory is not in any parent of ${from}`);
  }
}
