import type { PodCheck } from '../check.js';
import { containerCheck, nsa } from './container-check.js';
import { parseImage } from './image-reference.js';

const imageOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export const imageTagLatest = containerCheck({
  id: 'image-tag-latest',
  title: 'Image uses the latest tag or no tag',
  severity: 'medium',
  description:
    'A `latest` (or missing) tag names whatever was pushed last: what runs is unknown, differs between nodes and cannot be rolled back.',
  remediation: 'Pin the image to a version tag and, better, to its digest (image@sha256:…).',
  references: [nsa('Container image scanning / version pinning')],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    if (digest) return undefined;
    if (tag === undefined)
      return { path: ['image'], evidence: `image ${JSON.stringify(image)} has no tag (means :latest)` };
    if (tag === 'latest') return { path: ['image'], evidence: `image ${JSON.stringify(image)} uses :latest` };
    return undefined;
  },
});

export const imageDigestMissing = containerCheck({
  id: 'image-digest-missing',
  title: 'Image is not pinned by digest',
  severity: 'low',
  description:
    'Tags are mutable: the same tag can be re-pushed with different content. Only a digest names one exact image.',
  remediation:
    'Reference the image by digest (registry/app:1.2.3@sha256:…), e.g. with your CD tool or an admission policy.',
  references: [nsa('Container image scanning / version pinning')],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    // Untagged and :latest images already have image-tag-latest, which says more.
    if (digest || tag === undefined || tag === 'latest') return undefined;
    return { path: ['image'], evidence: `image ${JSON.stringify(image)} has no @sha256 digest` };
  },
});

export const imagePullPolicy = containerCheck({
  id: 'image-pull-policy',
  title: 'Image pinned by a mutable tag is not always pulled',
  severity: 'low',
  description:
    'With IfNotPresent or Never, a node runs whatever it cached under the tag, so two nodes can run different images under one name. Images pinned by digest are immutable and need no Always policy.',
  remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
  references: [nsa('Container image scanning / version pinning')],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    if (digest) return undefined;
    // Kubernetes defaults: Always for :latest or untagged images, IfNotPresent otherwise.
    const policy =
      entry.container.imagePullPolicy ?? (tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent');
    return policy === 'Always'
      ? undefined
      : {
          path: ['imagePullPolicy'],
          evidence: `imagePullPolicy is ${policy} for tag-pinned image ${JSON.stringify(image)}`,
        };
  },
});

export const IMAGE_CHECKS: readonly PodCheck[] = [imageTagLatest, imageDigestMissing, imagePullPolicy];
