import { PROTO_SCHEMAS, type ProtoField, type ProtoSchema } from './proto-schemas.js';
import { badRequest, unsupportedMediaType } from './status.js';

/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies, which kubectl's typed clients send
 * (kubectl create namespace|configmap|secret|serviceaccount, kubectl auth can-i). The envelope is
 * the 4-byte magic "k8s\0" and a runtime.Unknown {typeMeta, raw}; `raw` is the object's message
 * (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). Only the kinds in proto-schemas.ts decode.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.offset >= this.buffer.length) throw badRequest('protobuf body ends inside a varint');
      const byte = this.buffer[this.offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw badRequest('protobuf varint is too long');
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.offset + length > this.buffer.length)
      throw badRequest('protobuf field runs past the end of the body');
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.offset += 4;
    else throw badRequest(`protobuf wire type ${wireType} is not supported`);
  }
}

function scalar(field: ProtoField, wireType: number, reader: Reader): unknown {
  if (field.type === 'bool') return reader.varint() !== 0n;
  if (field.type === 'int') return Number(BigInt.asIntN(64, reader.varint()));
  if (wireType !== 2) throw badRequest(`protobuf field ${field.name} has wire type ${wireType}`);
  const bytes = reader.bytes();
  if (field.type === 'string') return bytes.toString('utf8');
  if (field.type === 'bytes') return bytes.toString('base64');
  if (field.type === 'message') return decodeMessage(bytes, field.schema!);
  return mapEntry(bytes, field);
}

function mapEntry(bytes: Buffer, field: ProtoField): [string, unknown] {
  const entry = decodeMessage(bytes, {
    1: { name: 'key', type: 'string' },
    2: field.type === 'map-bytes' ? { name: 'value', type: 'bytes' } : { name: 'value', type: 'string' },
  });
  return [String(entry.key ?? ''), entry.value ?? ''];
}

function decodeMessage(buffer: Buffer, schema: ProtoSchema): Record<string, unknown> {
  const reader = new Reader(buffer);
  const out: Record<string, unknown> = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const field = schema[tag >> 3];
    if (!field) {
      reader.skip(tag & 7);
      continue;
    }
    const value = scalar(field, tag & 7, reader);
    if (field.type === 'map' || field.type === 'map-bytes') {
      const [k, v] = value as [string, unknown];
      out[field.name] = { ...((out[field.name] as object) ?? {}), [k]: v };
    } else if (field.repeated) out[field.name] = [...((out[field.name] as unknown[]) ?? []), value];
    else out[field.name] = value;
  }
  return out;
}

/** The JSON form of a protobuf-encoded object, or 415 for kinds the harness cannot decode. */
export function decodeProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest('protobuf body lacks the k8s\\0 prefix');
  const unknown = decodeMessage(body.subarray(4), {
    1: {
      name: 'typeMeta',
      type: 'message',
      schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
    },
    2: { name: 'raw', type: 'bytes' },
  });
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = PROTO_SCHEMAS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema) {
    throw unsupportedMediaType(
      `application/vnd.kubernetes.protobuf (the harness decodes protobuf only for ${Object.keys(PROTO_SCHEMAS).join(', ')}; got ${typeMeta.apiVersion} ${typeMeta.kind})`,
    );
  }
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema) };
}
