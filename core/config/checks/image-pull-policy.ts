import { containerCheck } from './container-check.js';
import { imageOf, parseImage } from './image-reference.js';
import { IMAGE_PINNING } from './references.js';

// Kubernetes defaulting (core/v1 SetDefaults_Container): Always when the tag is :latest or absent,
// IfNotPresent otherwise; an image with a digest and no tag defaults to IfNotPresent.
function effectivePullPolicy(policy: unknown, tag: string | undefined, digest: string | undefined): string {
  if (typeof policy === 'string' && policy !== '') return policy;
  return !digest && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

export const imagePullPolicy = containerCheck({
  id: 'image-pull-policy',
  title: 'Image pinned by a mutable tag is not always pulled',
  severity: 'low',
  description:
    'For an image named by tag only, IfNotPresent or Never (IfNotPresent is the default for any tag but latest) makes each node run whatever it cached under that tag, so nodes can run different images under one name, and a pod can use a private image cached by another pod without holding the pull credentials (the reason for the AlwaysPullImages admission plugin, CIS 1.2.11). Images pinned by digest are immutable and are not flagged whatever their policy.',
  remediation: 'Pin the image by digest, or set imagePullPolicy: Always.',
  references: [IMAGE_PINNING],
  problem(entry) {
    const image = imageOf(entry.container.image);
    if (!image) return undefined;
    const { tag, digest } = parseImage(image);
    if (digest) return undefined;
    const policy = effectivePullPolicy(entry.container.imagePullPolicy, tag, digest);
    if (policy === 'Always') return undefined;
    const how = entry.container.imagePullPolicy === undefined ? ' (the default for this tag)' : '';
    return {
      path: ['imagePullPolicy'],
      evidence: `imagePullPolicy is ${String(policy)}${how} for tag-pinned image ${JSON.stringify(image)}`,
    };
  },
});
