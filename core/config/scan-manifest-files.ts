import type { KubeObject } from '../kube/types.js';
import type { Report } from '../model/index.js';
import { buildReport } from '../report/build-report.js';
import type { ConfigCheck } from './check.js';
import type { IgnoreRule } from './ignore-file.js';
import { contextObjectsOf } from './input/context-objects.js';
import { parseManifestDocuments } from './input/parse-manifests.js';
import { DEFAULT_READ_LIMITS, listSources, type ReadLimits } from './input/read-sources.js';
import { CONFIG_CHECKS, CONTEXT_KINDS, INVENTORY_KINDS } from './registry.js';
import { startConfigScan } from './scan-config.js';
import { Suppressor } from './suppression.js';

export interface ManifestScanOptions {
  /** Reads standard input when a path is `-`. */
  stdin: () => Promise<Buffer>;
  ignoreRules?: readonly IgnoreRule[];
  checks?: readonly ConfigCheck[];
  limits?: ReadLimits;
  now?: () => Date;
  /** Files or directories of ValidatingAdmissionPolicies (and bindings, params) to review objects against. */
  policyPaths?: readonly string[];
}

/** Local mode's configuration scan: files and directories in, a report out. Bad files become problems. */
export async function scanManifestFiles(
  paths: readonly string[],
  options: ManifestScanOptions,
): Promise<Report> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const input = await listSources(paths, options.stdin, options.limits ?? DEFAULT_READ_LIMITS);
  // The VAP engine (CEL, its libraries) is loaded only for --policy: a scan without it does not pay for it.
  const policies = options.policyPaths?.length
    ? await (await import('../admission/load-policy-files.js')).loadPolicyFiles(
        options.policyPaths,
        options.stdin,
        options.limits ?? DEFAULT_READ_LIMITS,
      )
    : undefined;
  // Streamed in two passes over the files, each read, used and dropped: first the objects that
  // cross-object checks read (and the policies' params), then each file parsed, checked and dropped,
  // so memory holds the context, one file and the findings.
  const contextKinds = new Set(INVENTORY_KINDS);
  for (const bound of policies?.set.policies ?? []) {
    const paramKind = bound.compiled.policy.spec.paramKind?.kind;
    if (paramKind) contextKinds.add(paramKind);
  }
  const context: KubeObject[] = [];
  await input.forEach((source) => {
    for (const object of contextObjectsOf(source, contextKinds)) context.push(object);
  });
  const problems = [...input.problems];
  if (policies) for (const problem of policies.problems) problems.push(problem);
  const rules = options.ignoreRules ?? [];
  for (const rule of Suppressor.expired(rules, startedAt)) {
    problems.push({
      source: 'ignore file',
      message: `ignore rule for ${rule.id} expired on ${String(rule.expires)}: it no longer suppresses`,
    });
  }
  const readProblems = input.problems.length;
  const scan = startConfigScan(context, {
    checks: options.checks ?? CONFIG_CHECKS,
    suppressor: new Suppressor(rules, startedAt),
    contextKinds: CONTEXT_KINDS,
    now: startedAt,
    ...(policies ? { policies: policies.set, policyParams: policies.params } : {}),
  });
  await input.forEach((source) => {
    for (const parsed of parseManifestDocuments(source)) {
      for (const problem of parsed.problems) problems.push(problem);
      scan.add(parsed.objects);
    }
  });
  // A file that could be read on the first pass and not on the second.
  for (const problem of input.problems.slice(readProblems)) problems.push(problem);
  const scanned = scan.finish();
  return buildReport({
    target: { kind: 'files', name: paths.join(', ') },
    startedAt,
    finishedAt: now(),
    ...scanned,
    problems: [...problems, ...scanned.problems],
  });
}
