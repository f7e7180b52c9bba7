import type { ImageRule } from './render-base.js';

/** The repository of seco's own image in the manifests; aggregator and agent both run it. */
export const SECO_IMAGE = 'ghcr.io/seco-dev/seco';

/** The tools image (tools/release/image/tools-image.ts): the tools runner beside each agent, and seco-tools. */
export const SECO_TOOLS_IMAGE = 'ghcr.io/seco-dev/seco-tools';

/**
 * The kustomize image rule that makes seco's image follow the build's version, so a plugin of
 * version X installs the services of version X whatever tag the kustomization names.
 */
export function secoImageRule(version: string, name: string = SECO_IMAGE): ImageRule {
  if (!/^\w[\w.-]{0,127}$/.test(version))
    throw new Error(`seco's version ${JSON.stringify(version)} is not usable as an image tag`);
  return { name, newTag: version };
}

/** Whether a rendered container image is seco's own (by repository, whatever its tag or digest). */
export function isSecoImage(image: string): boolean {
  return image === SECO_IMAGE || image.startsWith(`${SECO_IMAGE}:`) || image.startsWith(`${SECO_IMAGE}@`);
}
