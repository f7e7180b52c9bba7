import type { IncomingMessage, ServerResponse } from 'node:http';
import { atLeast, type Report } from '../core/model/index.js';
import { ApiScanRecord, ScanRequest, subjects } from '../core/protocol/index.js';
import { rendererFor } from '../core/report/render/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import type { Access } from './access.js';
import { apiAccess } from './api-access.js';
import { send } from './http-server.js';
import { SCAN_API_OPENAPI } from './openapi.js';
import { readLimitedBody } from './request-body.js';
import { readReport, targetNamespace } from './results.js';
import { ALL_SCANNERS, describeTarget, type ScanCoordinator } from './scan-coordinator.js';
import { countJobs } from './scan-record.js';

const MAX_REQUEST_BYTES = 64 * 1024;
const SCAN_ID = /^[0-9a-z]{1,64}$/;
const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  sarif: 'application/sarif+json',
  table: 'text/plain; charset=utf-8',
};

/** `scans/<scanId>/api.json`: the request as the HTTP API took it (the gate, who asked, a start failure). */
const apiKey = (scanId: string) => `scans/${scanId}/api.json`;

const json = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  send(response, status, `${JSON.stringify(body)}\n`, 'application/json');
};
const problem = (response: ServerResponse, status: number, message: string) =>
  json(response, status, { error: message });

export interface ScanApiOptions {
  coordinator: ScanCoordinator;
  access: Access;
  store: ObjectStore;
  /** The aggregator's version, recorded in SARIF reports. */
  version: string;
  log?: (line: string) => void;
}

/**
 * The scan API for CI systems that cannot run the plugin (documented in openapi.ts, served at
 * `/v1/openapi.json`): `POST /v1/scans` starts a scan as `scan.start` does on the WebSocket API,
 * `GET /v1/scans/{id}` says its state, progress and, when done, its summary and verdict against the
 * request's `failOn`, `GET /v1/scans/{id}/report?format=` renders the stored report. Authenticated and
 * authorized like the WebSocket API (api-access.ts). Returns false for paths it does not serve.
 */
export function scanApi(options: ScanApiOptions) {
  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/v1/openapi.json' && request.method === 'GET') {
      json(response, 200, SCAN_API_OPENAPI);
      return true;
    }
    if (path === '/v1/scans') {
      if (request.method !== 'POST') problem(response, 405, 'use POST to start a scan');
      else await startScan(options, request, response);
      return true;
    }
    const m = /^\/v1\/scans\/([^/]+)(\/report)?$/.exec(path);
    if (!m) return false;
    if (request.method !== 'GET') {
      problem(response, 405, 'use GET');
      return true;
    }
    const scanId = decodeURIComponent(m[1]!);
    if (!SCAN_ID.test(scanId)) {
      problem(response, 404, 'no such scan');
      return true;
    }
    if (m[2]) await getReport(options, request, response, scanId);
    else await getScan(options, request, response, scanId);
    return true;
  };
}

async function startScan(
  options: ScanApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const read = await readLimitedBody(request, response, MAX_REQUEST_BYTES);
  if (!read.ok) return;
  let body: unknown;
  try {
    body = JSON.parse(read.body.toString('utf8'));
  } catch {
    return problem(response, 400, 'the body is not JSON');
  }
  const parsed = ScanRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return problem(
      response,
      400,
      `invalid scan request: ${issue?.path.join('.') || '(body)'}: ${issue?.message}`,
    );
  }
  const { target, scanners, failOn } = parsed.data;
  const namespace = target.allNamespaces ? undefined : (target.namespace ?? 'default');
  const allowed = await apiAccess(options.access, request, namespace, 'scan');
  if (!allowed.ok) return problem(response, allowed.status, allowed.message);
  const { coordinator, store } = options;
  const record = await coordinator.createScan(target, scanners ?? ALL_SCANNERS, allowed.caller.name);
  const api: ApiScanRecord = {
    scanId: record.scanId,
    target: describeTarget(target),
    requestedBy: allowed.caller.name,
    ...(failOn ? { failOn } : {}),
    createdAt: new Date().toISOString(),
  };
  await store.put(apiKey(record.scanId), JSON.stringify(api), { contentType: 'application/json' });
  await recordStartFailure(options, api);
  void coordinator.plan(record.scanId);
  const self = `/v1/scans/${record.scanId}`;
  json(
    response,
    202,
    { id: record.scanId, state: 'resolving', links: { self, report: `${self}/report` } },
    { location: self },
  );
}

/**
 * A scan that cannot start (its target is not found) ends with an `error` on its subject and no
 * record: that is written beside the request, so a later GET says `failed` and why rather than 404.
 */
async function recordStartFailure(options: ScanApiOptions, api: ApiScanRecord): Promise<void> {
  const { coordinator, store } = options;
  let stop: (() => void) | undefined;
  const timer = setTimeout(() => stop?.(), 10 * 60_000);
  timer.unref();
  stop = await coordinator.options.bus.subscribe(subjects.scan(api.scanId), (_subject, data) => {
    let message: { type?: string; message?: string };
    try {
      message = JSON.parse(Buffer.from(data).toString('utf8')) as typeof message;
    } catch {
      return;
    }
    if (message.type === 'scan.done') {
      stop?.();
      clearTimeout(timer);
    }
    if (message.type !== 'error') return;
    stop?.();
    clearTimeout(timer);
    const failed = { ...api, error: String(message.message ?? 'the scan failed').slice(0, 4000) };
    void store
      .put(apiKey(api.scanId), JSON.stringify(failed), { contentType: 'application/json' })
      .catch((error) =>
        options.log?.(`scan ${api.scanId}: failure not recorded: ${(error as Error).message}`),
      );
  });
}

async function readApiRecord(store: ObjectStore, scanId: string): Promise<ApiScanRecord | undefined> {
  const body = await store.get(apiKey(scanId));
  if (!body) return undefined;
  try {
    const parsed = ApiScanRecord.safeParse(JSON.parse(body.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function getScan(
  options: ScanApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  scanId: string,
): Promise<void> {
  const { coordinator, store, access } = options;
  const [live, api] = await Promise.all([
    coordinator.store.get(scanId).catch(() => undefined),
    readApiRecord(store, scanId),
  ]);
  const report = live ? undefined : await readReport(store, scanId);
  const target = live?.targetName ?? report?.target.name ?? api?.target;
  if (!target) return problem(response, 404, 'no such scan');
  const allowed = await apiAccess(access, request, targetNamespace(target));
  if (!allowed.ok) return problem(response, allowed.status, allowed.message);
  const links = { self: `/v1/scans/${scanId}`, report: `/v1/scans/${scanId}/report` };
  if (live) {
    const jobs = countJobs(Object.values(live.jobs));
    return json(response, 200, {
      id: scanId,
      state: live.status,
      target,
      scanners: live.scanners,
      startedAt: live.startedAt,
      progress: { jobs: jobs.total, settled: jobs.acked + jobs.failed + jobs.timedOut, ...jobs },
      ...(api?.failOn ? { failOn: api.failOn } : {}),
      links,
    });
  }
  if (report)
    return json(response, 200, { id: scanId, state: 'done', target, ...doneDetails(report, api), links });
  return json(response, 200, {
    id: scanId,
    state: 'failed',
    target,
    error: api?.error ?? 'the scan ended without a report',
    links,
  });
}

function doneDetails(report: Report, api: ApiScanRecord | undefined) {
  const incomplete = report.problems.some((p) => p.kind !== 'warning');
  const failing = api?.failOn
    ? report.findings.some((f) => f.status === 'open' && atLeast(f.severity, api.failOn!))
    : false;
  return {
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: report.summary,
    problems: report.problems.length,
    ...(api?.failOn ? { failOn: api.failOn } : {}),
    // The same verdict as the plugin's exit code: incomplete (2) before failed (1) before passed (0).
    verdict: incomplete ? 'incomplete' : failing ? 'failed' : 'passed',
  };
}

async function getReport(
  options: ScanApiOptions,
  request: IncomingMessage,
  response: ServerResponse,
  scanId: string,
): Promise<void> {
  const format = new URL(request.url ?? '/', 'http://x').searchParams.get('format') ?? 'json';
  if (!(format in CONTENT_TYPES))
    return problem(
      response,
      400,
      `unknown format "${format}": expected one of ${Object.keys(CONTENT_TYPES).join(', ')}`,
    );
  const report = await readReport(options.store, scanId);
  if (!report) {
    const live = await options.coordinator.store.get(scanId).catch(() => undefined);
    if (!live) return problem(response, 404, 'no report for this scan');
    const allowed = await apiAccess(options.access, request, targetNamespace(live.targetName));
    if (!allowed.ok) return problem(response, allowed.status, allowed.message);
    return problem(response, 409, `the scan is ${live.status}: its report is written when it is done`);
  }
  const allowed = await apiAccess(options.access, request, targetNamespace(report.target.name));
  if (!allowed.ok) return problem(response, allowed.status, allowed.message);
  send(
    response,
    200,
    rendererFor(format).render(report, { color: false, toolVersion: options.version }),
    CONTENT_TYPES[format],
  );
}
