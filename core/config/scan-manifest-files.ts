import { loadPolicyFiles } from '../admission/load-policy-files.js';
import type { Report } from '../model/index.js';
import { buildReport } from '../report/build-report.js';
import type { ConfigCheck } from './check.js';
import type { IgnoreRule } from './ignore-file.js';
import { type ManifestObject, parseManifests } from './input/parse-manifests.js';
import { DEFAULT_READ_LIMITS, type ReadLimits, readSources } from './input/read-sources.js';
import { CONFIG_CHECKS, CONTEXT_KINDS } from './registry.js';
import { scanConfig } from './scan-config.js';
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
  const read = await readSources(paths, options.stdin, options.limits ?? DEFAULT_READ_LIMITS);
  const problems = [...read.problems];
  const objects: ManifestObject[] = [];
  for (const source of read.sources) {
    const parsed = parseManifests(source);
    // Loops, not a spread into push: a file of 130k documents would overflow the call stack.
    for (const object of parsed.objects) objects.push(object);
    for (const problem of parsed.problems) problems.push(problem);
  }
  const policies = options.policyPaths?.length
    ? await loadPolicyFiles(options.policyPaths, options.stdin, options.limits ?? DEFAULT_READ_LIMITS)
    : undefined;
  if (policies) for (const problem of policies.problems) problems.push(problem);
  const rules = options.ignoreRules ?? [];
  for (const rule of Suppressor.expired(rules, startedAt)) {
    problems.push({
      source: 'ignore file',
      message: `ignore rule for ${rule.id} expired on ${String(rule.expires)}: it no longer suppresses`,
    });
  }
  const scanned = scanConfig(objects, {
    checks: options.checks ?? CONFIG_CHECKS,
    suppressor: new Suppressor(rules, startedAt),
    contextKinds: CONTEXT_KINDS,
    now: startedAt,
    ...(policies ? { policies: policies.set, policyParams: policies.params } : {}),
  });
  return buildReport({
    target: { kind: 'files', name: paths.join(', ') },
    startedAt,
    finishedAt: now(),
    ...scanned,
    problems: [...problems, ...scanned.problems],
  });
}
