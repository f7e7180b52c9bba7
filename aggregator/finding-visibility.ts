import {
  addSummaries,
  CLUSTER_SCOPE,
  type Finding,
  type FindingScope,
  findingScope,
  type ReportResource,
  type ScopedSummaries,
  type SeveritySummary,
  summarize,
  summaryTotal,
} from '../core/model/index.js';
import type { ReportHeader } from '../core/protocol/index.js';
import type { Access, Caller } from './access.js';

/**
 * Who may see a finding is who may see the object it is about (docs/api-access.md, "Who sees what"):
 * a finding in a namespace needs `list findings.seco.dev` there; a node's own finding (a CIS host check,
 * a node-level runtime alert, no namespace) needs `get` on that Node; anything else about the cluster as
 * a whole needs `list findings.seco.dev` at the cluster scope (core/model/finding-scope.ts). So a feedback
 * scan that an alert in namespace `shop` started shows its host findings only to those who may see the
 * node, not to every reader of `shop`. One decision per scope per call, and Access caches them, so a report
 * of thousands of findings asks a few times.
 */
export function scopeAccess(access: Access, caller: Caller): (scope: FindingScope) => Promise<boolean> {
  const decided = new Map<FindingScope, Promise<boolean>>();
  const ask = (scope: FindingScope): Promise<boolean> => {
    if (caller.source === 'static-token') return Promise.resolve(true);
    if (scope === CLUSTER_SCOPE) return access.mayRead(caller, undefined);
    const [kind, name] = [scope.slice(0, scope.indexOf('/')), scope.slice(scope.indexOf('/') + 1)];
    return kind === 'namespace' ? access.mayRead(caller, name) : access.maySeeNode(caller, name);
  };
  return (scope) => {
    let answer = decided.get(scope);
    if (!answer) {
      answer = ask(scope).catch(() => false);
      decided.set(scope, answer);
    }
    return answer;
  };
}

export async function visibleFindings(
  access: Access,
  caller: Caller,
  findings: readonly Finding[],
): Promise<Finding[]> {
  if (caller.source === 'static-token') return [...findings];
  const may = scopeAccess(access, caller);
  const visible: Finding[] = [];
  for (const finding of findings) if (await may(findingScope(finding.resource))) visible.push(finding);
  return visible;
}

/** A scan's counts as the caller may see them: the sum over the scopes of its findings they may see. */
export async function visibleSummary(
  access: Access,
  caller: Caller,
  scopes: ScopedSummaries,
): Promise<SeveritySummary> {
  const may = scopeAccess(access, caller);
  const kept: SeveritySummary[] = [];
  for (const [scope, summary] of Object.entries(scopes)) if (await may(scope)) kept.push(summary);
  return addSummaries(kept);
}

/** A report resource's scope: a namespaced object's namespace, a Node's own, else the cluster's. */
function resourceScope(resource: ReportResource): FindingScope {
  return findingScope({
    ...(resource.namespace ? { namespace: resource.namespace } : {}),
    ...(resource.kind === 'Node' ? { node: resource.name } : {}),
  });
}

/**
 * A report's header as the caller may see it: `summary` and `findingCount` counted over the findings
 * they may see (given as per-scope counts, or as the findings themselves), `resources` only those they
 * may see — a reader of one namespace learns nothing of the rest of the scan from its closing message.
 */
export async function visibleHeader(
  access: Access,
  caller: Caller,
  header: ReportHeader,
  counted: { scopes: ScopedSummaries } | { findings: readonly Finding[] },
): Promise<ReportHeader> {
  if (caller.source === 'static-token') return header;
  const summary =
    'scopes' in counted ? await visibleSummary(access, caller, counted.scopes) : summarize(counted.findings);
  const may = scopeAccess(access, caller);
  const resources: ReportResource[] = [];
  for (const resource of header.resources) if (await may(resourceScope(resource))) resources.push(resource);
  return { ...header, summary, findingCount: summaryTotal(summary), resources };
}
