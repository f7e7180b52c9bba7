import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resourcePath } from '../../core/build/resource-root.js';

/** The `manifests/` kustomize base shipped with seco (in the package, or embedded in the executable). */
export function manifestsDir(): string {
  const dir = resourcePath('manifests');
  if (!existsSync(join(dir, 'kustomization.yaml')))
    throw new Error(`seco's manifests directory ${dir} has no kustomization.yaml`);
  return dir;
}
