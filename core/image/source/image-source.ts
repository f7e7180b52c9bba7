import type { Readable } from 'node:stream';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

/** The OCI image config fields seco reads (image-spec config.md). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    ExposedPorts?: Record<string, unknown>;
  };
}

/** A resolved image: its manifest digest, config and layers, each layer opened as a verified stream. */
export interface ResolvedImage {
  reference: string;
  /** The manifest digest (`sha256:…`): the image's identity for caching and findings. */
  digest: string;
  config: ImageConfig;
  layers: Array<{ digest: string; size: number; open(): Promise<Readable> }>;
}

export const MAX_JSON_BYTES = 4 * 1024 * 1024;
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** Digests become file paths in layouts: anything but `algorithm:hex` is refused. */
export function checkDigest(digest: unknown): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest))
    throw new Error(`invalid digest ${JSON.stringify(digest)}`);
  return digest;
}

export const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

export interface Platform {
  os: string;
  architecture: string;
}

/** From an image index, the manifest for the platform (linux/amd64 unless asked otherwise). */
export function pickPlatform(manifests: Descriptor[], platform: Platform): Descriptor {
  const match = manifests.find(
    (m) => m.platform?.os === platform.os && m.platform?.architecture === platform.architecture,
  );
  if (!match) {
    const have = manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).join(', ');
    throw new Error(`no manifest for ${platform.os}/${platform.architecture} in the index (has ${have})`);
  }
  return match;
}
