import { formatReference, parseReference } from '../../core/image/source/reference.js';
import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import { wireBus } from './bus-wiring.js';
import { withExternalServices } from './external-services.js';
import { mirrorImage } from './image-mirror.js';
import { allowMetricsFrom } from './metrics-ingress.js';
import { setPullSecret } from './pull-secret.js';
import { type RenderedBase, renderBase } from './render-base.js';
import { isSecoImage, SECO_TOOLS_IMAGE, secoImageRule } from './seco-image.js';
import type { StackSettings } from './stack-settings.js';
import { setStorageClass } from './storage-class.js';
import { applyOverrides } from './value-overrides.js';

/** Rewrites every container image of the stack with `choose`. */
function rewriteImages(base: RenderedBase, choose: (image: string) => string): void {
  for (const object of base.objects) {
    const template = podTemplateOf(object);
    if (!template) continue;
    for (const { container } of containersOf(template.spec))
      if (typeof container.image === 'string') container.image = choose(container.image);
  }
}

/**
 * The stack as `install` applies it, before digests are resolved: the kustomize base with seco's
 * image at the build's version, then the user's choices — seco's image, a mirror for the others,
 * external NATS/S3, storage class, pull secret, `--set` values — in that order. No network.
 */
export async function renderStack(dir: string, settings: StackSettings): Promise<RenderedBase> {
  const base = await renderBase(dir, {
    namespace: settings.namespace,
    ...(settings.agentNamespace ? { agentNamespace: settings.agentNamespace } : {}),
    images: [secoImageRule(settings.version), secoImageRule(settings.version, SECO_TOOLS_IMAGE)],
  });
  const secoImage = settings.image ? formatReference(parseReference(settings.image)) : undefined;
  const mirror = settings.imageRegistry;
  rewriteImages(base, (image) => {
    if (secoImage && isSecoImage(image)) return secoImage;
    return mirror ? mirrorImage(image, mirror) : image;
  });
  const { kept, dropped } = withExternalServices(base.objects, {
    ...(settings.nats ? { nats: settings.nats } : {}),
    ...(settings.s3 ? { s3: settings.s3 } : {}),
    ...(settings.s3Bucket ? { bucket: settings.s3Bucket } : {}),
  });
  base.objects = kept;
  base.retired = dropped;
  wireBus(base, { nats: deploysNats(base), minio: deploysMinio(base) });
  if (settings.metricsNamespaces) allowMetricsFrom(base.objects, settings.metricsNamespaces);
  if (settings.storageClass) setStorageClass(base.objects, settings.storageClass);
  if (settings.imagePullSecret) setPullSecret(base.objects, settings.imagePullSecret);
  applyOverrides(base.objects, settings.overrides ?? []);
  return base;
}

const deploys = (base: Pick<RenderedBase, 'objects'>, component: string) =>
  base.objects.some(
    (o) => o.kind === 'StatefulSet' && o.metadata?.labels?.['app.kubernetes.io/name'] === component,
  );

/** Whether the stack deploys its own Minio, whose credentials Secret install then makes. */
export function deploysMinio(base: Pick<RenderedBase, 'objects'>): boolean {
  return deploys(base, 'minio');
}

/** Whether the stack deploys its own NATS, whose nats.conf and users install then makes. */
export function deploysNats(base: Pick<RenderedBase, 'objects'>): boolean {
  return deploys(base, 'nats');
}
