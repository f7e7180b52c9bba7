import { containerCheck } from './container-check.js';
import { imageOf, parseImage } from './image-reference.js';
import { IMAGE_PINNING } from './references.js';

export const imageDigestMissing = containerCheck({
  id: 'image-digest-missing',
  title: 'Image is not pinned by digest',
  severity: 'low',
  description:
    'Tags are mutable: the same tag can be re-pushed with different content (or by an attacker with push rights). Only a digest names one exact image. Untagged and :latest images are reported by image-tag-missing / image-tag-latest instead.',
  remediation:
    'Reference the image by digest (registry/app:1.2.3@sha256:…), e.g. with your CD tool or an admission policy.',
  references: [IMAGE_PINNING],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    if (digest || tag === undefined || tag === 'latest') return undefined;
    return { path: ['image'], evidence: `image ${JSON.stringify(image)} has no @sha256 digest` };
  },
});
