import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { answerChallenge } from './auth.js';
import type { Credentials } from './docker-config.js';
import { bodyWithIdleTimeout, readCapped, registryErrors } from './http-body.js';
import { parseImageConfig } from './image-config.js';
import {
  checkDigest,
  type Descriptor,
  type ImageSource,
  MAX_JSON_BYTES,
  type Platform,
  type ResolvedImage,
} from './image-source.js';
import {
  descendToImage,
  type ImageManifest,
  MANIFEST_ACCEPT,
  type ManifestDocument,
  parseManifest,
} from './manifest.js';
import { apiHost, formatReference, type ImageReference } from './reference.js';
import { readVerified, verifyingDigest } from './verify-digest.js';

export interface RegistryOptions {
  credentials?: Credentials;
  /** Plain HTTP, for registries without TLS (`--insecure-registry`). */
  insecure?: boolean;
  /** Time allowed for a response's headers (and a whole manifest or token). */
  timeoutMs?: number;
  /** Time a blob download may go without receiving a byte. */
  idleTimeoutMs?: number;
  /** Aborts every request and download (a job's deadline or no-progress timeout), with its reason. */
  signal?: AbortSignal;
  /** Told of every chunk of a manifest or blob received. */
  onProgress?: (bytes: number) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_MS = 60_000;

/**
 * One repository on an OCI distribution registry (distribution-spec v1.1 "Pull"): manifests fetched
 * with content negotiation and checked against their digest, indexes followed to the platform's
 * manifest, blobs streamed (redirects followed) and verified as they stream, and the auth dance on
 * the first 401.
 */
export class RegistrySource implements ImageSource {
  readonly reference: string;
  private authorization?: string;
  private readonly base: string;

  constructor(
    private readonly ref: ImageReference,
    private readonly options: RegistryOptions = {},
  ) {
    this.reference = formatReference(ref);
    this.base = `${options.insecure ? 'http' : 'https'}://${apiHost(ref.registry)}/v2/${ref.repository}`;
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    const image = await this.imageManifest(platform);
    const configJson = await readVerified(
      image.config.digest,
      await this.blob(image.config),
      MAX_JSON_BYTES,
      image.config.size,
    );
    return {
      reference: this.reference,
      digest: image.digest,
      config: parseImageConfig(configJson, `config ${image.config.digest}`),
      configJson,
      layers: image.layers.map((layer) => ({
        mediaType: layer.mediaType,
        digest: layer.digest,
        size: layer.size,
        open: async () => verifyingDigest(layer.digest, await this.blob(layer), layer.size),
      })),
    };
  }

  /** The platform's image manifest digest, from manifest requests alone: no blob is fetched. */
  async imageDigest(platform: Platform): Promise<string> {
    return (await this.imageManifest(platform)).digest;
  }

  /**
   * The digest of the manifest the reference names, as the registry serves it — an index keeps its own
   * digest (every platform stays pullable by it), a single-platform manifest its own. Checked against
   * `Docker-Content-Digest` when the registry sends one.
   */
  async manifestDigest(): Promise<string> {
    return (await this.manifest(this.ref.digest ?? this.ref.tag ?? 'latest')).digest;
  }

  private async imageManifest(platform: Platform): Promise<ImageManifest> {
    const top = await this.manifest(this.ref.digest ?? this.ref.tag ?? 'latest');
    return descendToImage(
      top.document,
      top.digest,
      platform,
      async (d) => (await this.manifest(d.digest, d)).document,
    );
  }

  /** A manifest or index by tag or digest; its digest is computed over the bytes as served. */
  private async manifest(
    reference: string,
    expected?: Descriptor,
  ): Promise<{ document: ManifestDocument; digest: string }> {
    const what = `manifest ${this.ref.registry}/${this.ref.repository}:${reference}`.replace(':sha', '@sha');
    const response = await this.get(`${this.base}/manifests/${reference}`, what, MANIFEST_ACCEPT);
    const bytes = await readCapped(
      response,
      MAX_JSON_BYTES,
      what,
      this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const claimed = reference.startsWith('sha256:')
      ? reference
      : response.headers.get('docker-content-digest');
    if (claimed?.startsWith('sha256:') && claimed !== digest)
      throw new Error(`${what} does not match its digest (got ${digest})`);
    if (expected && expected.size !== bytes.length)
      throw new Error(`${what} is ${bytes.length} bytes, its descriptor says ${expected.size}`);
    const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    return { document: parseManifest(bytes, what, expected?.mediaType || contentType), digest };
  }

  private async blob(descriptor: Descriptor): Promise<Readable> {
    const what = `blob ${checkDigest(descriptor.digest)}`;
    const response = await this.get(`${this.base}/blobs/${descriptor.digest}`, what);
    return bodyWithIdleTimeout(response, this.options.idleTimeoutMs ?? DEFAULT_IDLE_MS, what, {
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
    });
  }

  /** GET with the current authorization; on a 401, answer the challenge once and retry. */
  private async get(url: string, what: string, accept?: string): Promise<Response> {
    let response = await this.send(url, what, accept);
    if (response.status === 401) {
      const challenge = response.headers.get('www-authenticate');
      await response.body?.cancel();
      const had = this.authorization;
      this.authorization = await answerChallenge(challenge, {
        registry: this.ref.registry,
        repository: this.ref.repository,
        ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
      if (had === this.authorization)
        throw new Error(`${what}: ${this.ref.registry} rejected the credentials (401)`);
      response = await this.send(url, what, accept);
      if (response.status === 401) {
        await response.body?.cancel();
        throw new Error(`${what}: ${this.ref.registry} rejected the credentials (401)`);
      }
    }
    if (!response.ok) {
      const details = await registryErrors(response);
      throw new Error(
        `${what}: ${this.ref.registry} answered ${response.status} ${response.statusText}${details}`,
      );
    }
    return response;
  }

  /** One request; the timeout covers the wait for headers only, so long blob bodies are not cut. */
  private async send(url: string, what: string, accept?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (this.authorization) headers.authorization = this.authorization;
    const controller = new AbortController();
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = setTimeout(
      () => controller.abort(new Error(`${what}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    try {
      // Cross-origin redirects (blob storage) drop the Authorization header, per the Fetch standard.
      const signal = this.options.signal
        ? AbortSignal.any([controller.signal, this.options.signal])
        : controller.signal;
      return await fetch(url, { headers, redirect: 'follow', signal });
    } catch (error) {
      // The caller's own abort says why (a job's limit): that reason, not fetch's "operation was aborted".
      if (this.options.signal?.aborted) throw new Error(`${what}: ${abortReason(this.options.signal)}`);
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new Error(`${what}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

function abortReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
}
