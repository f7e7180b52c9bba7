import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { decodeProtobuf } from './protobuf.js';
import { badRequest, type KubeApiError, unsupportedMediaType } from './status.js';

/** Request and response bodies: JSON or YAML in, JSON out, with the media types the API speaks. */
const MAX_BODY = 3 * 1024 * 1024; // kube-apiserver's default request size limit is 3 MiB

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw badRequest('the request body is larger than 3 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

const JSON_TYPES = new Set([
  'application/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
]);
const YAML_TYPES = new Set([
  'application/yaml',
  'application/apply-patch+yaml',
  'application/apply-patch+cbor',
]);

/** Decodes a body by its Content-Type; 415 for media types the API does not take, 400 for bad syntax. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  try {
    if (JSON_TYPES.has(type) || type === '') return JSON.parse(text);
    if (YAML_TYPES.has(type) && type !== 'application/apply-patch+cbor') return parseYaml(text);
  } catch (error) {
    throw badRequest(`the request body is not valid ${type}: ${(error as Error).message}`);
  }
  throw unsupportedMediaType(type);
}

export function sendJson(
  response: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  response.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  response.end(text);
}

export function sendStatus(response: ServerResponse, error: KubeApiError): void {
  sendJson(response, error.code, error.body);
}
