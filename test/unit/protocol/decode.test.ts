import { describe, expect, it } from '@jest/globals';
import {
  ClientMessage,
  decodeMessage,
  encodeMessage,
  Job,
  MAX_WS_MESSAGE_BYTES,
  subjects,
  subjectToken,
} from '../../../core/protocol/index.js';

describe('decodeMessage', () => {
  it('accepts a valid scan.start and types it', () => {
    const raw = JSON.stringify({
      v: 1,
      type: 'scan.start',
      requestId: 'r1',
      target: { namespace: 'shop', name: 'web' },
    });
    const decoded = decodeMessage(ClientMessage, raw, MAX_WS_MESSAGE_BYTES);
    expect(decoded).toEqual({
      ok: true,
      value: expect.objectContaining({ type: 'scan.start', requestId: 'r1' }),
    });
  });

  it('refuses an oversized message before parsing it', () => {
    const raw = JSON.stringify({ v: 1, type: 'hello', client: { name: 'x'.repeat(2000), version: '1' } });
    expect(decodeMessage(ClientMessage, raw, 1000)).toEqual({
      ok: false,
      error: `message of ${Buffer.byteLength(raw)} bytes exceeds the 1000-byte limit`,
    });
  });

  it('says when a message is not JSON, without echoing it', () => {
    expect(decodeMessage(ClientMessage, '{"v":1,"type":"hello", secret-token', 1000)).toEqual({
      ok: false,
      error: 'message is not valid JSON',
    });
  });

  it('names the field that breaks the schema', () => {
    const wrongVersion = decodeMessage(
      ClientMessage,
      '{"v":2,"type":"hello","client":{"name":"a","version":"1"}}',
      1000,
    );
    expect(wrongVersion.ok).toBe(false);
    const noTarget = decodeMessage(
      ClientMessage,
      '{"v":1,"type":"scan.start","requestId":"r","target":{}}',
      1000,
    );
    expect(noTarget).toEqual({
      ok: false,
      error: 'invalid message: target: a target needs a name, a selector or allNamespaces',
    });
    const unknown = decodeMessage(ClientMessage, '{"v":1,"type":"rm -rf"}', 1000);
    expect(unknown.ok).toBe(false);
  });

  it('validates jobs by kind, including the image digest format', () => {
    const good = {
      v: 1,
      kind: 'image',
      jobId: 'j',
      scanId: 's',
      node: 'n',
      image: 'nginx',
      digest: `sha256:${'a'.repeat(64)}`,
    };
    expect(Job.safeParse(good).success).toBe(true);
    expect(Job.safeParse({ ...good, digest: 'sha256:../../etc' }).success).toBe(false);
  });
});

describe('encodeMessage', () => {
  it('refuses to send what the receiver would refuse', () => {
    expect(() => encodeMessage({ a: 'x'.repeat(100) }, 50)).toThrow(/exceeds the 50-byte limit/);
  });
});

describe('subjects', () => {
  it('keeps node names with dots and wildcards inside one subject token', () => {
    expect(subjectToken('ip-10-0-1-5.ec2.internal')).toBe('ip-10-0-1-5~2eec2~2einternal');
    expect(subjects.jobs('a.b')).toBe('seco.jobs.a~2eb');
    expect(subjects.jobs('*')).toBe('seco.jobs.~2a');
    expect(subjects.jobs('>')).not.toContain('>');
  });
});
