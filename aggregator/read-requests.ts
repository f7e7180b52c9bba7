import { type ClientMessage, PROTOCOL_VERSION } from '../core/protocol/index.js';
import { reportKey } from '../core/store/scan-objects.js';
import { activeScans, latestFindings, type MayRead, nodeStatuses } from './cluster-views.js';
import { visibleFindings, visibleSummary } from './finding-visibility.js';
import { listScans, scanScopes, targetNamespace } from './results.js';
import type { SessionContext } from './session-context.js';
import { inPages, readStoredReport } from './stored-report.js';

/** A client's read requests: each answered once, over what its caller may see. */
export type ReadRequest = Extract<
  ClientMessage,
  { type: 'results.list' | 'results.get' | 'scans.active' | 'nodes.list' | 'findings.latest' }
>;

export function answerRead(context: SessionContext, message: ReadRequest): Promise<void> {
  switch (message.type) {
    case 'results.list':
      return listResults(context, message.requestId, message.limit ?? 20);
    case 'results.get':
      return getResult(context, message.requestId, message.scanId, message.headerFirst === true);
    case 'scans.active':
      return listActiveScans(context, message.requestId);
    case 'nodes.list':
      return listNodes(context, message.requestId);
    case 'findings.latest':
      return sendLatestFindings(context, message.requestId, message.scans ?? 50);
  }
}

function mayRead({ caller, options }: SessionContext): MayRead {
  return (namespace) => options.access.mayRead(caller, namespace);
}

async function listActiveScans(context: SessionContext, requestId: string): Promise<void> {
  const scans = await activeScans(context.options.coordinator.store, mayRead(context));
  context.channel.send({ v: PROTOCOL_VERSION, type: 'scans.active', requestId, scans });
}

/** Nodes are cluster-wide: listing them takes the right to list findings in every namespace. */
async function listNodes(context: SessionContext, requestId: string): Promise<void> {
  const { caller, channel, options } = context;
  const readable = mayRead(context);
  if (!(await readable(undefined)))
    return channel.error(
      'forbidden',
      `${caller.name} may not list findings.seco.dev in all namespaces`,
      requestId,
    );
  const { coordinator, bus } = options;
  const active = await activeScans(coordinator.store, readable);
  const nodes = await nodeStatuses(coordinator.agents, bus, active);
  channel.send({ v: PROTOCOL_VERSION, type: 'nodes.list', requestId, nodes });
}

async function sendLatestFindings(context: SessionContext, requestId: string, limit: number): Promise<void> {
  const { caller, channel, options } = context;
  const latest = await latestFindings(options.coordinator.options.store, mayRead(context), limit);
  const findings =
    caller.source === 'static-token'
      ? latest.findings
      : await visibleFindings(options.access, caller, latest.findings);
  if (!(await channel.sendPaced(inPages(findings), { requestId }))) return;
  channel.send({
    v: PROTOCOL_VERSION,
    type: 'findings.latest.done',
    requestId,
    scans: latest.scans,
    findingCount: findings.length,
  });
}

/** Stored scans the caller may list, each counted over the findings they may see. */
async function listResults(
  { caller, channel, options }: SessionContext,
  requestId: string,
  limit: number,
): Promise<void> {
  const { access, coordinator } = options;
  const scans = [];
  for (const { scopes: storedScopes, ...summary } of await listScans(coordinator.options.store, limit)) {
    const namespace = targetNamespace(summary.target);
    if (!(await access.may(caller, { verb: 'list', resource: 'scans', namespace }))) continue;
    if (caller.source === 'static-token') scans.push(summary);
    else {
      const scopes =
        (await scanScopes(coordinator.options.store, summary.scanId, {
          scopes: storedScopes,
        })) ?? {};
      scans.push({ ...summary, summary: await visibleSummary(access, caller, scopes) });
    }
  }
  channel.send({ v: PROTOCOL_VERSION, type: 'results.listing', requestId, scans });
}

async function getResult(
  context: SessionContext,
  requestId: string,
  scanId: string,
  headerFirst: boolean,
): Promise<void> {
  const { channel } = context;
  const stored = await readStoredReport(context, requestId, scanId, `no stored report for scan ${scanId}`);
  if (!stored) return;
  const closing = { requestId, reportKey: reportKey(scanId), report: stored.header };
  if (headerFirst) channel.send({ v: PROTOCOL_VERSION, type: 'results.header', ...closing });
  if (!(await channel.sendPaced(stored.pages, { requestId }))) return;
  channel.send({ v: PROTOCOL_VERSION, type: 'results.report', ...closing });
}
