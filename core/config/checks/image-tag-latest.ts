import { containerCheck } from './container-check.js';
import { imageOf, parseImage } from './image-reference.js';
import { IMAGE_PINNING } from './references.js';

export const imageTagLatest = containerCheck({
  id: 'image-tag-latest',
  title: 'Image uses the latest tag',
  severity: 'medium',
  description:
    'The latest tag names whatever was pushed last: what runs is unknown, can differ between nodes, and cannot be rolled back. An image also pinned by digest is not flagged: the digest decides what runs.',
  remediation: 'Pin the image to a version tag and, better, to its digest (image:1.2.3@sha256:…).',
  references: [IMAGE_PINNING],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    return !digest && tag === 'latest'
      ? { path: ['image'], evidence: `image ${JSON.stringify(image)} uses :latest` }
      : undefined;
  },
});
