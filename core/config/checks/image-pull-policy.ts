import { containerCheck } from './container-check.js';
import { imageOf, parseImage } from './image-reference.js';
import { IMAGE_PINNING } from './references.js';

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
    if (parseImage(image).digest) return undefined;
    // The policy as defaulted by api-defaults.ts (SetDefaults_Container) when the manifest left it out.
    const policy = entry.container.imagePullPolicy;
    if (policy === 'Always') return undefined;
    return {
      path: ['imagePullPolicy'],
      evidence: `imagePullPolicy is ${String(policy)} for tag-pinned image ${JSON.stringify(image)}`,
    };
  },
});
