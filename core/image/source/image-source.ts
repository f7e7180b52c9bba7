import type { Readable } from 'node:stream';
import type { BlobFile } from '../layers/entry.js';

/** An OCI content descriptor (image-spec descriptor.md): what a manifest says about a blob. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

/** The OCI image config fields seco reads (image-spec config.md); everything else stays in `raw`. */
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
  rootfs?: { type?: string; diff_ids?: string[] };
}

/** One layer, bottom first: its descriptor and a way to open its blob as a digest-verified stream. */
export interface ImageLayer {
  mediaType: string;
  digest: string;
  /** Bytes of the blob as stored (compressed); 0 when the source does not say. */
  size: number;
  /** The blob's bytes; the stream errors, naming the blob, if they do not hash to `digest`. */
  open(): Promise<Readable>;
  /** The blob's place in a local file, when it is one (layouts, archives): worker threads read it themselves. */
  file?: BlobFile;
}

/** A resolved image: its identity, config and layers. */
export interface ResolvedImage {
  reference: string;
  /** The manifest digest (`sha256:…`; the config digest for docker-archive): the image's identity. */
  digest: string;
  config: ImageConfig;
  /** The config blob's bytes, exactly as stored (already digest-verified). */
  configJson: Buffer;
  layers: ImageLayer[];
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/**
 * The port every image origin implements (STYLE.md "Ports at the edges"): an OCI registry, an OCI
 * layout directory or archive, a docker-save archive. Callers do not know which they have.
 */
export interface ImageSource {
  /** What the user named, for messages (`docker.io/library/alpine:3.20`, `oci-archive:/x.tar`). */
  readonly reference: string;
  resolve(platform: Platform): Promise<ResolvedImage>;
  /**
   * The digest `resolve` would give, without fetching any blob (a registry answers it from manifests),
   * so a cached inventory can be found before pulling. Sources where resolving is local omit it.
   */
  imageDigest?(platform: Platform): Promise<string>;
}

/** Manifests, indexes and configs are small: anything bigger is refused before parsing (4 MiB, as containerd). */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;
/** Index → index → manifest nesting allowed before giving up (a loop or a hostile layout). */
export const MAX_INDEX_DEPTH = 4;

const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** Digests become URLs and file paths: anything but `algorithm:hex` (image-spec descriptor.md) is refused. */
export function checkDigest(digest: unknown): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest))
    throw new Error(`invalid digest ${JSON.stringify(digest)}`);
  return digest;
}
