import type { OsvAffected } from '../osv/osv-record.js';
import { semver2Ordering } from './semver2.js';
import type { VersionOrdering } from './version-ordering.js';

export interface AffectedVerdict {
  affected: boolean;
  /** Versions that end the affected interval(s) the version lies in and are not affected themselves, lowest first. */
  fixedIn: string[];
}

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface RangeEvent {
  kind: EventKind;
  version: string;
}

// Where two events name the same version, `introduced` is walked first, so [X, X) is empty and
// [X, X] holds X.
const KIND_ORDER: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

/** The events of a range as written; anything not shaped like an OSV event is left out. */
function eventsOf(range: unknown): RangeEvent[] {
  const events = (range as { events?: unknown })?.events;
  if (!Array.isArray(events)) return [];
  return events.flatMap((event): RangeEvent[] => {
    if (event === null || typeof event !== 'object') return [];
    return (Object.keys(KIND_ORDER) as EventKind[])
      .filter((kind) => typeof (event as Record<string, unknown>)[kind] === 'string')
      .map((kind) => ({ kind, version: (event as Record<string, string>)[kind]! }));
  });
}

/** Orders event versions; `introduced: "0"` sorts before every version (OSV "Special values"). */
function eventCompare(ordering: VersionOrdering) {
  return (a: string, b: string) =>
    a === '0' && b === '0' ? 0 : a === '0' ? -1 : b === '0' ? 1 : ordering.compare(a, b);
}

/** The walk of OSV's IncludedInRanges for one range: whether `version` is in it, and the event that ends its interval. */
function walkRange(events: RangeEvent[], version: string, ordering: VersionOrdering) {
  const cmp = eventCompare(ordering);
  const usable = events.filter(
    (e) =>
      (e.kind === 'introduced' && e.version === '0') ||
      (e.kind === 'limit' && e.version === '*') ||
      ordering.isValid(e.version),
  );
  // BeforeLimits: with no limit event an implicit "*" applies; otherwise v must be below one of them.
  const limits = usable.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((l) => l.version === '*' || cmp(version, l.version) < 0))
    return { affected: false };
  const sorted = usable
    .filter((e) => e.kind !== 'limit')
    .sort((a, b) => cmp(a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  let affected = false;
  let fix: string | undefined;
  for (const event of sorted) {
    if (event.kind === 'introduced' && cmp(version, event.version) >= 0) affected = true;
    else if (event.kind === 'fixed' && cmp(version, event.version) >= 0) affected = false;
    else if (event.kind === 'last_affected' && cmp(version, event.version) > 0) affected = false;
    if (affected && event.kind === 'fixed' && fix === undefined && cmp(version, event.version) < 0)
      fix = event.version;
    if (event.kind === 'introduced' && cmp(version, event.version) >= 0) fix = undefined;
  }
  return { affected, fix };
}

/** The ordering a range's versions are written in: OSV §ranges[].type; GIT ranges name commits and are skipped. */
function orderingOfRange(range: unknown, ecosystem: VersionOrdering): VersionOrdering | undefined {
  const type = (range as { type?: unknown })?.type;
  if (type === 'SEMVER') return semver2Ordering;
  if (type === 'ECOSYSTEM') return ecosystem;
  return undefined;
}

/**
 * OSV schema "Evaluation" (IsVulnerable for one `affected` entry): a version is affected when the
 * `versions` list names it, or an ECOSYSTEM/SEMVER range includes it — events sorted by version and
 * walked: `introduced` opens, `fixed` closes at, `last_affected` closes after; `limit` caps the range.
 * A version the ordering cannot read is matched only against the `versions` list.
 */
export function evaluateAffected(
  entry: OsvAffected,
  version: string,
  ordering: VersionOrdering,
): AffectedVerdict {
  return evaluate(entry, version, ordering, 0);
}

// A fix that another range still covers is followed to that range's own fix, a few steps at most.
const MAX_FIX_CHAIN = 8;

function evaluate(
  entry: OsvAffected,
  version: string,
  ordering: VersionOrdering,
  depth: number,
): AffectedVerdict {
  const listed = Array.isArray(entry?.versions) ? entry.versions : [];
  const valid = typeof version === 'string' && ordering.isValid(version);
  let affected = listed.some(
    (v) => v === version || (valid && ordering.isValid(v) && ordering.compare(v, version) === 0),
  );
  const fixes = new Set<string>();
  for (const range of Array.isArray(entry?.ranges) ? entry.ranges : []) {
    const rangeOrdering = orderingOfRange(range, ordering);
    const query = rangeVersion(range, version);
    if (rangeOrdering === undefined || !rangeOrdering.isValid(query)) continue;
    const walked = walkRange(eventsOf(range), query, rangeOrdering);
    if (!walked.affected) continue;
    affected = true;
    if (walked.fix !== undefined) fixes.add(walked.fix);
  }
  if (!affected) return { affected, fixedIn: [] };
  const fixedIn = new Set<string>();
  for (const fix of fixes) {
    const next =
      depth < MAX_FIX_CHAIN ? evaluate(entry, fix, ordering, depth + 1) : { affected: true, fixedIn: [] };
    for (const f of next.affected ? next.fixedIn : [fix]) fixedIn.add(f);
  }
  return { affected, fixedIn: [...fixedIn].sort((a, b) => ordering.compare(a, b)) };
}

/**
 * SEMVER ranges are written without a leading `v` (OSV §ranges[].type), while some ecosystems'
 * installed versions carry one (Go modules: `v1.2.3`): the query drops it to be read as SemVer.
 */
function rangeVersion(range: unknown, version: string): string {
  const type = (range as { type?: unknown })?.type;
  return type === 'SEMVER' && typeof version === 'string' ? version.replace(/^v(?=\d)/, '') : version;
}
