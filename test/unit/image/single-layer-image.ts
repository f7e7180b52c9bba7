import { createHash } from 'node:crypto';
import type { ResolvedImage } from '../../../core/image/source/image-source.js';
import { layerOf, type TarEntry, tarOf } from './layers/tar-layer.js';

/** An image of one uncompressed layer holding the given files, its digest that layer's hash. */
export async function singleLayerImage(entries: TarEntry[], user = 'app'): Promise<ResolvedImage> {
  const layer = await tarOf(entries);
  const configJson = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: user } }),
  );
  return {
    reference: 'registry.example/shop/web:1',
    digest: `sha256:${createHash('sha256').update(layer).digest('hex')}`,
    config: JSON.parse(configJson.toString()),
    configJson,
    layers: [layerOf('sha256:layer', layer)],
  } as unknown as ResolvedImage;
}
