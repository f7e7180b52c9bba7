import { containerCheck } from './container-check.js';
import { imageOf, parseImage } from './image-reference.js';
import { IMAGE_PINNING } from './references.js';

export const imageTagMissing = containerCheck({
  id: 'image-tag-missing',
  title: 'Image has no tag',
  severity: 'medium',
  description:
    'An image without a tag or digest means :latest — whatever was pushed last: what runs is unknown, can differ between nodes, and cannot be rolled back.',
  remediation: 'Pin the image to a version tag and, better, to its digest (image:1.2.3@sha256:…).',
  references: [IMAGE_PINNING],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    return digest || tag !== undefined
      ? undefined
      : { path: ['image'], evidence: `image ${JSON.stringify(image)} has no tag (means :latest)` };
  },
});
