import { atLeast, type Finding, SEVERITIES, type Severity } from '../../core/model/index.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface Connection {
  state: ConnectionState;
  /** Why (the close reason, the next retry), for the header. */
  message?: string;
}

/** One finding as the watch saw it: the same finding id arriving again bumps `count`. */
export interface WatchEvent {
  finding: Finding;
  count: number;
  /** When this client last received it (ISO), which is what the table's time column shows. */
  receivedAt: string;
}

/** A stored scan as `results.list` describes it. */
export interface ScanSummary {
  scanId: string;
  target: string;
  finishedAt?: string;
  summary: Record<string, number>;
}

export interface WatchFilters {
  minSeverity: Severity;
  /** Empty: every namespace. */
  namespaces: string[];
}

export interface WatchSnapshot {
  connection: Connection;
  /** What the session reached, and as whom (from `welcome`). */
  target: string;
  user?: string;
  /** Newest first, at most `capacity`, one entry per finding id. */
  events: WatchEvent[];
  /** `events` through the filters: what the table shows and `selected` indexes. */
  visible: WatchEvent[];
  /** Every event received since the watch began, repeats included, even those since dropped from `events`. */
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  scans: ScanSummary[];
  filters: WatchFilters;
  selected: number;
  detailOpen: boolean;
}

const DEFAULT_CAPACITY = 500;

function zeroBySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

function passes(event: WatchEvent, filters: WatchFilters): boolean {
  const { severity, resource } = event.finding;
  if (!atLeast(severity, filters.minSeverity)) return false;
  return filters.namespaces.length === 0 || filters.namespaces.includes(resource.namespace ?? '');
}

/**
 * What `kubectl seco watch` shows, apart from how it is drawn (k9s's model/view split): the WebSocket
 * session writes into it, Ink components read immutable snapshots through `useSyncExternalStore`.
 */
export class WatchStore {
  private snapshot: WatchSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(
    init: { target: string; filters?: Partial<WatchFilters>; capacity?: number },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.capacity = init.capacity ?? DEFAULT_CAPACITY;
    this.snapshot = {
      connection: { state: 'connecting' },
      target: init.target,
      events: [],
      visible: [],
      bySeverity: zeroBySeverity(),
      byRule: {},
      scans: [],
      filters: {
        minSeverity: init.filters?.minSeverity ?? 'info',
        namespaces: init.filters?.namespaces ?? [],
      },
      selected: 0,
      detailOpen: false,
    };
  }

  private readonly capacity: number;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WatchSnapshot => this.snapshot;

  private update(change: Partial<WatchSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    if (change.events || change.filters) {
      const selectedId = this.snapshot.visible[this.snapshot.selected]?.finding.id;
      next.visible = next.events.filter((e) => passes(e, next.filters));
      // At the top the cursor follows the newest event (a live tail); moved down, it stays on the
      // event the user is reading while new ones push the list down.
      const kept = next.visible.findIndex((e) => e.finding.id === selectedId);
      if (change.selected === undefined && this.snapshot.selected > 0 && kept >= 0) next.selected = kept;
    }
    // Keep the selection on the screen when the list shrinks under it.
    next.selected = Math.max(0, Math.min(next.selected, next.visible.length - 1));
    if (next.visible.length === 0) next.detailOpen = false;
    this.snapshot = next;
    for (const listener of [...this.listeners]) listener();
  }

  setConnection(state: ConnectionState, message?: string): void {
    this.update({ connection: message === undefined ? { state } : { state, message } });
  }

  setUser(user: string): void {
    this.update({ user });
  }

  /** A runtime event arrived: first sight goes on top; a repeat moves to the top with its count bumped. */
  addEvent(finding: Finding): void {
    const { events, bySeverity, byRule } = this.snapshot;
    const earlier = events.find((e) => e.finding.id === finding.id);
    const event: WatchEvent = {
      finding,
      count: (earlier?.count ?? 0) + 1,
      receivedAt: this.now().toISOString(),
    };
    const rest = earlier ? events.filter((e) => e !== earlier) : events;
    this.update({
      events: [event, ...rest].slice(0, this.capacity),
      bySeverity: { ...bySeverity, [finding.severity]: bySeverity[finding.severity] + 1 },
      byRule: { ...byRule, [finding.ruleId]: (byRule[finding.ruleId] ?? 0) + 1 },
    });
  }

  setScans(scans: ScanSummary[]): void {
    this.update({ scans });
  }

  /** info → low → medium → high → critical → info: the `s` key. */
  cycleMinSeverity(): void {
    const order = [...SEVERITIES].reverse();
    const next = order[(order.indexOf(this.snapshot.filters.minSeverity) + 1) % order.length]!;
    this.update({ filters: { ...this.snapshot.filters, minSeverity: next } });
  }

  moveSelection(by: number): void {
    this.update({ selected: this.snapshot.selected + by });
  }

  /** Opens the detail of the selected event (when there is one), or closes it. */
  toggleDetail(open = !this.snapshot.detailOpen): void {
    this.update({ detailOpen: open && this.snapshot.visible.length > 0 });
  }

  selectedEvent(): WatchEvent | undefined {
    return this.snapshot.visible[this.snapshot.selected];
  }
}
