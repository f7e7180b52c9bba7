/**
 * Protobuf field numbers of the kinds kubectl's typed clients send, from the upstream
 * generated.proto files (k8s.io/api/core/v1, authorization/v1, authentication/v1, and
 * k8s.io/apimachinery/pkg/apis/meta/v1 for ObjectMeta).
 */
export interface ProtoField {
  name: string;
  type: 'string' | 'bytes' | 'bool' | 'int' | 'message' | 'map' | 'map-bytes';
  repeated?: boolean;
  schema?: ProtoSchema;
}
export type ProtoSchema = Record<number, ProtoField>;

const s = (name: string): ProtoField => ({ name, type: 'string' });
const list = (name: string): ProtoField => ({ name, type: 'string', repeated: true });
const msg = (name: string, schema: ProtoSchema, repeated = false): ProtoField => ({
  name,
  type: 'message',
  schema,
  repeated,
});

const OBJECT_META: ProtoSchema = {
  1: s('name'),
  2: s('generateName'),
  3: s('namespace'),
  5: s('uid'),
  6: s('resourceVersion'),
  7: { name: 'generation', type: 'int' },
  11: { name: 'labels', type: 'map' },
  12: { name: 'annotations', type: 'map' },
  14: list('finalizers'),
};
const META = msg('metadata', OBJECT_META);

const RESOURCE_ATTRIBUTES: ProtoSchema = {
  1: s('namespace'),
  2: s('verb'),
  3: s('group'),
  4: s('version'),
  5: s('resource'),
  6: s('subresource'),
  7: s('name'),
};
const NON_RESOURCE_ATTRIBUTES: ProtoSchema = { 1: s('path'), 2: s('verb') };
const ATTRIBUTES = {
  1: msg('resourceAttributes', RESOURCE_ATTRIBUTES),
  2: msg('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
};

export const PROTO_SCHEMAS: Record<string, ProtoSchema> = {
  'v1/Namespace': { 1: META, 2: msg('spec', { 1: list('finalizers') }) },
  'v1/ConfigMap': {
    1: META,
    2: { name: 'data', type: 'map' },
    3: { name: 'binaryData', type: 'map-bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: META,
    2: { name: 'data', type: 'map-bytes' },
    3: s('type'),
    4: { name: 'stringData', type: 'map' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: META,
    3: msg('imagePullSecrets', { 1: s('name') }, true),
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: META, 2: msg('spec', ATTRIBUTES) },
  'authorization.k8s.io/v1/SubjectAccessReview': {
    1: META,
    2: msg('spec', { ...ATTRIBUTES, 3: s('user'), 4: list('groups'), 6: s('uid') }),
  },
  'authentication.k8s.io/v1/TokenReview': {
    1: META,
    2: msg('spec', { 1: s('token'), 2: list('audiences') }),
  },
};
