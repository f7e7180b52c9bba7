import type { OsvAffected, OsvRange } from '../osv/osv-record.js';
import type { VersionOrdering } from './version-ordering.js';

export interface AffectedVerdict {
  affected: boolean;
  /** Versions that fix it (the `fixed` events of the ranges that matched), lowest first. */
  fixedIn: string[];
}

/**
 * OSV schema evaluation (ossf.github.io/osv-schema, "Evaluation"): a version is affected when it is
 * listed in `versions`, or falls in an ECOSYSTEM/SEMVER range — events sorted by version, walked in
 * order: `introduced` opens, `fixed` and `limit` close before, `last_affected` closes after. GIT ranges
 * name commits, not package versions, and are skipped.
 */
export function evaluateAffected(
  entry: OsvAffected,
  version: string,
  ordering: VersionOrdering,
): AffectedVerdict {
  const fixedIn: string[] = [];
  let affected = (entry.versions ?? []).some(
    (v) => v === version || (ordering.isValid(v) && ordering.compare(v, version) === 0),
  );
  for (const range of entry.ranges ?? []) {
    if (range.type === 'GIT') continue;
    if (inRange(range, version, ordering)) {
      affected = true;
      for (const event of range.events) if ('fixed' in event) fixedIn.push(event.fixed);
    }
  }
  fixedIn.sort((a, b) => ordering.compare(a, b));
  return { affected, fixedIn: affected ? fixedIn.filter((f) => ordering.compare(f, version) > 0) : [] };
}

type Event = { kind: 'introduced' | 'fixed' | 'last_affected' | 'limit'; version: string };

function eventsOf(range: OsvRange): Event[] {
  return range.events.map((e) => {
    const [kind, version] = Object.entries(e)[0] as [Event['kind'], string];
    return { kind, version };
  });
}

function inRange(range: OsvRange, version: string, ordering: VersionOrdering): boolean {
  // "0" as introduced means "from the beginning": it sorts before every version.
  const cmp = (a: string, b: string) =>
    a === '0' ? (b === '0' ? 0 : -1) : b === '0' ? 1 : ordering.compare(a, b);
  const events = eventsOf(range).sort((a, b) => cmp(a.version, b.version));
  const limits = events.filter((e) => e.kind === 'limit');
  if (limits.length > 0 && !limits.some((l) => l.version === '*' || cmp(version, l.version) < 0))
    return false;
  let affected = false;
  for (const event of events) {
    if (event.kind === 'introduced' && cmp(version, event.version) >= 0) affected = true;
    else if (event.kind === 'fixed' && cmp(version, event.version) >= 0) affected = false;
    else if (event.kind === 'last_affected' && cmp(version, event.version) > 0) affected = false;
  }
  return affected;
}
