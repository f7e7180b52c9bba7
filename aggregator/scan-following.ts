import type { Finding } from '../core/model/index.js';
import {
  type ClientMessage,
  MAX_BUS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ReportHeader,
  subjects,
} from '../core/protocol/index.js';
import { reportKey } from '../core/store/scan-objects.js';
import { visibleFindings, visibleHeader } from './finding-visibility.js';
import { scanScopes, targetNamespace } from './results.js';
import { ALL_SCANNERS } from './scan-coordinator.js';
import type { SessionContext } from './session-context.js';
import { readStoredReport } from './stored-report.js';

/** What a scan's owner publishes for clients. */
const FORWARDED = new Set(['scan.progress', 'findings', 'scan.done', 'error']);

export async function startScan(
  context: SessionContext,
  message: Extract<ClientMessage, { type: 'scan.start' }>,
): Promise<void> {
  const { caller, channel, options, subscriptions } = context;
  const { coordinator, access } = options;
  const namespace = message.target.allNamespaces ? undefined : (message.target.namespace ?? 'default');
  if (!(await access.mayScan(caller, namespace)))
    return channel.error(
      'forbidden',
      `${caller.name} may not create scans.seco.dev in ${namespace ? `namespace ${namespace}` : 'all namespaces'}`,
      message.requestId,
    );
  if (subscriptions.size >= (options.maxScans ?? 8))
    return channel.error('unavailable', 'too many scans followed on this connection', message.requestId);
  const record = await coordinator.createScan(message.target, message.scanners ?? ALL_SCANNERS, caller.name, {
    ...(message.policies ? { policies: message.policies } : {}),
    ...(message.clusterPolicies ? { clusterPolicies: true } : {}),
  });
  await follow(context, record.scanId);
  channel.send({
    v: PROTOCOL_VERSION,
    type: 'scan.accepted',
    requestId: message.requestId,
    scanId: record.scanId,
  });
  void coordinator.plan(record.scanId);
}

/**
 * A scan still running is followed from here on; a finished one is sent from its stored report, paced,
 * and closed with its `scan.done`.
 */
export async function attachScan(context: SessionContext, requestId: string, scanId: string): Promise<void> {
  const { caller, channel, options } = context;
  const { coordinator } = options;
  const record = await coordinator.store.get(scanId).catch(() => undefined);
  if (record) {
    if (!(await options.access.mayRead(caller, targetNamespace(record.targetName))))
      return channel.error('forbidden', `${caller.name} may not read scan ${scanId}`, requestId);
    await follow(context, scanId);
    channel.send({ v: PROTOCOL_VERSION, type: 'scan.accepted', requestId, scanId });
    // What was streamed before the attach is in the stored results: the client fetches them when done.
    return coordinator.publishProgress(record, 'attached');
  }
  const stored = await readStoredReport(context, requestId, scanId, `no scan ${scanId}`);
  if (!stored) return;
  channel.send({ v: PROTOCOL_VERSION, type: 'scan.accepted', requestId, scanId });
  if (!(await channel.sendPaced(stored.pages, { scanId }))) return;
  channel.send({
    v: PROTOCOL_VERSION,
    type: 'scan.done',
    scanId,
    reportKey: reportKey(scanId),
    report: stored.header,
  });
}

/**
 * Forwards the scan's updates from whichever replica owns it, until it is done. They come from seco's
 * own replicas on seco's bus, so the envelope is checked (size, JSON, type, scan) and the body passed
 * through as is: the client validates every message it receives, and re-checking tens of thousands of
 * findings here would double the cost of a large scan.
 */
async function follow(context: SessionContext, scanId: string): Promise<void> {
  const { options, subscriptions } = context;
  // Finding batches, most of a large scan's traffic, are recognised by their envelope's first bytes
  // (ScanPublisher writes it in this order) instead of parsing a whole batch to read two fields.
  const batchPrefix = `{"v":${PROTOCOL_VERSION},"type":"findings","scanId":${JSON.stringify(scanId)},"findings":[`;
  const relay = visibleRelay(context);
  const stop = await options.bus.subscribe(subjects.scan(scanId), (_subject, data) => {
    if (data.byteLength > MAX_BUS_MESSAGE_BYTES) return;
    const text = Buffer.from(data).toString('utf8');
    if (text.startsWith(batchPrefix) && text.endsWith(']}')) return relay(text, 'findings');
    let envelope: { type?: unknown; scanId?: unknown; requestId?: unknown };
    try {
      envelope = JSON.parse(text) as typeof envelope;
    } catch {
      return;
    }
    if (typeof envelope !== 'object' || envelope === null || !FORWARDED.has(envelope.type as string)) return;
    if (envelope.scanId !== scanId && envelope.requestId !== scanId) return;
    relay(text, envelope.type === 'findings' || envelope.type === 'scan.done' ? envelope.type : 'other');
    if (envelope.type === 'scan.done' || envelope.type === 'error') subscriptions.stop(scanId);
  });
  subscriptions.add(scanId, stop);
}

type Relay = (text: string, type: 'findings' | 'scan.done' | 'other') => void;

/**
 * Sends one followed scan's messages in the order they came. A Kubernetes user sees only the findings
 * about objects they may see (finding-visibility.ts): batches are then parsed and filtered, in order, and
 * the closing report counts only what they may see; the operator's static token gets them as they come.
 */
function visibleRelay(context: SessionContext): Relay {
  const { caller, channel, options } = context;
  let order = Promise.resolve();
  return (text, type) => {
    if (type === 'other' || caller.source === 'static-token') {
      order = order.then(() => channel.sendText(text));
      return;
    }
    order = order.then(async () => {
      if (type === 'scan.done') return channel.sendText(JSON.stringify(await visibleDone(context, text)));
      const batch = JSON.parse(text) as { findings?: Finding[] };
      const visible = await visibleFindings(options.access, caller, batch.findings ?? []);
      if (visible.length > 0) channel.sendText(JSON.stringify({ ...batch, findings: visible }));
    });
    order = order.catch(() => undefined);
  };
}

/**
 * A live `scan.done` as this caller may see it: counted over the findings they may see, from the per-scope
 * counts the finisher stored with the report just before it published this (report-assembly.ts).
 */
async function visibleDone({ caller, options }: SessionContext, text: string): Promise<unknown> {
  const done = JSON.parse(text) as { scanId: string; report: ReportHeader };
  const scopes = (await scanScopes(options.coordinator.options.store, done.scanId)) ?? {};
  return { ...done, report: await visibleHeader(options.access, caller, done.report, { scopes }) };
}
