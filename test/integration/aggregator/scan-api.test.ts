import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { Report } from '../../../core/model/index.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
const demo = () =>
  withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] });
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];

async function call(base: string, path: string, init: RequestInit & { token?: string } = {}) {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: response.status, body: body as Record<string, unknown>, text, headers: response.headers };
}

type OpenApiDocument = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content: Record<string, { schema: object }> }> }>
  >;
  components: object;
};

/** Checks an answer against the served OpenAPI document's schema for that operation and status. */
function conformsTo(
  document: OpenApiDocument,
  path: string,
  method: string,
  status: number,
  body: unknown,
): void {
  const content = document.paths[path]![method]!.responses[String(status)]!.content['application/json']!;
  // Formats (date-time) are not checked: the structure, required fields and enums are what the API promises.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile({ ...content.schema, components: document.components });
  if (!validate(body))
    throw new Error(`${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}`);
}

describe('the HTTP scan API on the local stack (nats-server, s3rver, aggregator, two agents)', () => {
  it('serves a valid OpenAPI document; starts a scan, reports progress, verdict and the report in every format', async () => {
    const stack = servers.use(
      await startStack({ bus: () => servers.bus(), store: servers.store(), objects: demo(), nodes }),
    );
    const base = `http://127.0.0.1:${stack.aggregators[0]!.port}`;
    const { token } = stack;

    const openapi = await call(base, '/v1/openapi.json');
    expect(openapi.status).toBe(200);
    // A well-kept validator checks the document against the OpenAPI 3.0 schema and resolves every $ref.
    const document = (await SwaggerParser.validate(
      structuredClone(openapi.body) as never,
    )) as unknown as OpenApiDocument;
    expect(Object.keys(document.paths)).toEqual([
      '/v1/scans',
      '/v1/scans/{id}',
      '/v1/scans/{id}/report',
      '/v1/openapi.json',
    ]);

    const start = await call(base, '/v1/scans', {
      method: 'POST',
      token,
      body: JSON.stringify({
        target: { namespace: 'wordsmith', selector: 'app' },
        scanners: ['config', 'host'],
        failOn: 'high',
      }),
    });
    expect(start.status).toBe(202);
    conformsTo(openapi.body as unknown as OpenApiDocument, '/v1/scans', 'post', 202, start.body);
    const id = start.body.id as string;
    expect(start.headers.get('location')).toBe(`/v1/scans/${id}`);

    let scan = await call(base, `/v1/scans/${id}`, { token });
    const states = new Set<string>();
    for (let i = 0; i < 240 && scan.body.state !== 'done'; i++) {
      conformsTo(openapi.body as unknown as OpenApiDocument, '/v1/scans/{id}', 'get', 200, scan.body);
      states.add(scan.body.state as string);
      await new Promise((r) => setTimeout(r, 250));
      scan = await call(base, `/v1/scans/${id}`, { token });
    }
    expect(scan.status).toBe(200);
    conformsTo(openapi.body as unknown as OpenApiDocument, '/v1/scans/{id}', 'get', 200, scan.body);
    expect(scan.body).toMatchObject({
      id,
      state: 'done',
      target: 'wordsmith -l app',
      failOn: 'high',
      verdict: 'failed',
    });
    expect((scan.body.summary as Record<string, number>).high).toBeGreaterThan(0);

    const report = await call(base, `/v1/scans/${id}/report`, { token });
    expect(report.status).toBe(200);
    const parsed = Report.parse(report.body);
    expect(parsed.scanId).toBe(id);
    expect(new Set(parsed.findings.map((f) => f.scanner))).toEqual(new Set(['config', 'host']));
    expect(parsed.summary).toEqual(scan.body.summary);
    const sarif = await call(base, `/v1/scans/${id}/report?format=sarif`, { token });
    expect(sarif.headers.get('content-type')).toBe('application/sarif+json');
    expect(JSON.parse(sarif.text).version).toBe('2.1.0');
    const yaml = await call(base, `/v1/scans/${id}/report?format=yaml`, { token });
    expect(yaml.text).toContain('schemaVersion: seco.report/v1');
    const table = await call(base, `/v1/scans/${id}/report?format=table`, { token });
    expect(table.text).toContain('kubelet-anonymous-auth');
    expect((await call(base, `/v1/scans/${id}/report?format=xml`, { token })).status).toBe(400);
  }, 120_000);

  it('refuses what it must: no token, a bad token, a bad request, an unknown scan; a missing target is a failed scan', async () => {
    const stack = servers.use(
      await startStack({ bus: () => servers.bus(), store: servers.store(), objects: demo(), nodes }),
    );
    const base = `http://127.0.0.1:${stack.aggregators[0]!.port}`;
    const { token } = stack;
    const body = JSON.stringify({ target: { namespace: 'wordsmith', name: 'web' } });
    expect((await call(base, '/v1/scans', { method: 'POST', body })).status).toBe(401);
    expect((await call(base, '/v1/scans', { method: 'POST', body, token: 'wrong-token' })).status).toBe(401);
    const bad = await call(base, '/v1/scans', {
      method: 'POST',
      token,
      body: JSON.stringify({ target: {}, extra: 1 }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/invalid scan request/);
    expect((await call(base, '/v1/scans', { method: 'POST', token, body: '{"target":' })).status).toBe(400);
    expect((await call(base, '/v1/scans', { method: 'POST', token, body: 'x'.repeat(70_000) })).status).toBe(
      413,
    );
    expect((await call(base, '/v1/scans/0123abc', { token })).status).toBe(404);
    expect((await call(base, '/v1/scans/..%2F..%2Fetc', { token })).status).toBe(404);
    expect((await call(base, '/v1/scans', { token })).status).toBe(405);

    const missing = await call(base, '/v1/scans', {
      method: 'POST',
      token,
      body: JSON.stringify({ target: { namespace: 'wordsmith', name: 'no-such-app' } }),
    });
    expect(missing.status).toBe(202);
    let scan = await call(base, `/v1/scans/${missing.body.id}`, { token });
    // The start failure is recorded as the error goes out; a GET in between says only that the scan ended.
    for (let i = 0; i < 80 && !/no-such-app/.test(String(scan.body.error)); i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = await call(base, `/v1/scans/${missing.body.id}`, { token });
    }
    expect(scan.body).toMatchObject({ state: 'failed', error: expect.stringMatching(/no-such-app/) });
    expect((await call(base, `/v1/scans/${missing.body.id}`)).status).toBe(401);
  }, 120_000);
});
