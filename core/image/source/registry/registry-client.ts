import { Readable } from 'node:stream';
import { verifyingDigest } from '../../layers/walk-layers.js';
import {
  checkDigest,
  type Descriptor,
  type ImageConfig,
  INDEX_TYPES,
  MAX_JSON_BYTES,
  type Platform,
  pickPlatform,
  type ResolvedImage,
} from '../image-source.js';
import { parseChallenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import { apiHost, type ImageReference } from './reference.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface RegistryOptions {
  credentials?: Credentials;
  /** Plain HTTP, for registries without TLS (`--insecure-registry`). */
  insecure?: boolean;
  timeoutMs?: number;
}

/**
 * A client for one repository on an OCI distribution registry (distribution-spec v1.1): manifests with
 * content negotiation, blobs streamed and verified against their digests, and the auth dance — Basic, or
 * Bearer tokens fetched from the realm the `WWW-Authenticate` challenge names, with the repository's
 * pull scope.
 */
export class RegistryClient {
  private token?: string;
  private readonly base: string;

  constructor(
    private readonly ref: ImageReference,
    private readonly options: RegistryOptions = {},
  ) {
    this.base = `${options.insecure ? 'http' : 'https'}://${apiHost(ref.registry)}/v2/${ref.repository}`;
  }

  async resolve(platform: Platform, reference: string): Promise<ResolvedImage> {
    let { descriptor, body } = await this.manifest(this.ref.digest ?? this.ref.tag ?? 'latest');
    for (let depth = 0; INDEX_TYPES.has(descriptor.mediaType); depth++) {
      if (depth > 4) throw new Error('image indexes nested too deep');
      const chosen = pickPlatform((body as { manifests?: Descriptor[] }).manifests ?? [], platform);
      ({ descriptor, body } = await this.manifest(checkDigest(chosen.digest)));
    }
    const manifest = body as { config?: Descriptor; layers?: Descriptor[] };
    if (!manifest.config || !Array.isArray(manifest.layers))
      throw new Error(`manifest ${descriptor.digest} has no config or layers`);
    const config = JSON.parse((await this.blobBytes(manifest.config.digest)).toString('utf8')) as ImageConfig;
    return {
      reference,
      digest: descriptor.digest,
      config,
      layers: manifest.layers.map((layer) => ({
        digest: checkDigest(layer.digest),
        size: layer.size,
        open: () => this.blob(layer.digest),
      })),
    };
  }

  private async manifest(reference: string): Promise<{ descriptor: Descriptor; body: unknown }> {
    const response = await this.get(
      `${this.base}/manifests/${encodeURIComponent(reference)}`,
      MANIFEST_TYPES,
    );
    const bytes = await limitedBytes(response, MAX_JSON_BYTES, `manifest ${reference}`);
    const { createHash } = await import('node:crypto');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference)
      throw new Error(`manifest ${reference} does not match its digest (got ${digest})`);
    const body = JSON.parse(bytes.toString('utf8')) as { mediaType?: string };
    const mediaType = body.mediaType ?? response.headers.get('content-type')?.split(';')[0] ?? '';
    return { descriptor: { mediaType, digest, size: bytes.length }, body };
  }

  private async blob(digest: string): Promise<Readable> {
    const response = await this.get(`${this.base}/blobs/${checkDigest(digest)}`);
    if (!response.body) throw new Error(`blob ${digest}: empty response`);
    return verifyingDigest(
      digest,
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    );
  }

  private async blobBytes(digest: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of await this.blob(digest)) {
      size += (chunk as Buffer).length;
      if (size > MAX_JSON_BYTES) throw new Error(`blob ${digest} is larger than ${MAX_JSON_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async get(url: string, accept?: string, retried = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (accept) headers.accept = accept;
    if (this.token) headers.authorization = this.token;
    const response = await fetch(url, {
      headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
    });
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      this.token = await this.authorize(response.headers.get('www-authenticate'));
      return this.get(url, accept, true);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `${new URL(url).pathname}: registry answered ${response.status} ${response.statusText}`,
      );
    }
    return response;
  }

  /** Answers a 401's challenge: Basic with the credentials, or a Bearer token from the realm. */
  private async authorize(header: string | null): Promise<string> {
    const challenge = parseChallenge(header);
    const creds = this.options.credentials;
    const basic =
      creds?.username !== undefined
        ? `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`
        : undefined;
    if (challenge?.scheme === 'basic') {
      if (!basic)
        throw new Error(
          `${this.ref.registry} requires credentials (none found in docker config or pull secrets)`,
        );
      return basic;
    }
    if (challenge?.scheme !== 'bearer' || !challenge.params.realm)
      throw new Error(`${this.ref.registry}: unsupported authentication challenge ${JSON.stringify(header)}`);
    const url = new URL(challenge.params.realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope ?? `repository:${this.ref.repository}:pull`);
    const response = await fetch(url, {
      headers: basic ? { authorization: basic } : {},
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok)
      throw new Error(`token endpoint ${url.origin}${url.pathname} answered ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`token endpoint ${url.origin}${url.pathname} returned no token`);
    return `Bearer ${token}`;
  }
}

async function limitedBytes(response: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) throw new Error(`${what} is larger than ${max} bytes`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > max) throw new Error(`${what} is larger than ${max} bytes`);
  return bytes;
}
