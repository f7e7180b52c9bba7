import {
  atLeast,
  type Finding,
  type InputProblem,
  SEVERITIES,
  type Severity,
} from '../../core/model/index.js';
import type { ActiveScan, NodeStatus } from '../../core/protocol/index.js';
import {
  FINDING_ORDERS,
  initialUi,
  type Prompt,
  type ScreenName,
  screenNamed,
  type UiState,
} from './ui-state.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface Connection {
  state: ConnectionState;
  /** Why (the close reason, the next retry), for the banner. */
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

/** A finished scan opened with enter: its findings and problems, or why they could not be read. */
export interface OpenedScan {
  scanId: string;
  state: 'loading' | 'loaded' | 'failed';
  findings: Finding[];
  problems: InputProblem[];
  error?: string;
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
  /** Every event received since the watch began, repeats included, even those since dropped from `events`. */
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** Open findings of the cluster's latest scans (undefined until the first answer). */
  findings?: Finding[];
  findingsFrom: Array<{ scanId: string; target: string; finishedAt?: string }>;
  activeScans: ActiveScan[];
  scans: ScanSummary[];
  nodes: NodeStatus[];
  /** Why the nodes could not be listed (no right to, an old aggregator). */
  nodesError?: string;
  openedScan?: OpenedScan;
  filters: WatchFilters;
  ui: UiState;
  /** The newest event time received, for catching up after a reconnect. */
  lastEventAt?: string;
}

const DEFAULT_CAPACITY = 500;

/** The data each screen draws in its list or details; the header draws `connection` and `user` too. */
const SHOWN_ON: Record<ScreenName, ReadonlyArray<keyof WatchSnapshot>> = {
  events: ['events'],
  findings: ['findings', 'findingsFrom', 'openedScan', 'scans'],
  scans: ['activeScans', 'scans', 'openedScan'],
  nodes: ['nodes', 'nodesError'],
};
const SHOWN_EVERYWHERE: ReadonlyArray<keyof WatchSnapshot> = ['connection', 'user'];

function zeroBySeverity(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

/** The min-severity and namespace filters (`--min-severity`/`s`, `-n`/`-A`/`:ns`) on any finding. */
export function passesFilters(finding: Finding, filters: WatchFilters): boolean {
  if (!atLeast(finding.severity, filters.minSeverity)) return false;
  return filters.namespaces.length === 0 || filters.namespaces.includes(finding.resource.namespace ?? '');
}

/**
 * What `kubectl seco watch` shows, apart from how it is drawn (k9s's model/view split): the WebSocket
 * session writes data into it, keys write the UI state, and Ink components read immutable snapshots
 * through `useSyncExternalStore`. No component talks to the aggregator: opening a scan asks the
 * `scanLoader` the session installs.
 */
export class WatchStore {
  private snapshot: WatchSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly capacity: number;
  private scanLoader?: (scanId: string) => void;
  private readonly coalesceMs: number;
  private readonly unseenMs: number;
  private pending?: { timer: NodeJS.Timeout; due: number };

  constructor(
    init: {
      target: string;
      filters?: Partial<WatchFilters>;
      capacity?: number;
      screen?: ScreenName;
      /**
       * Data from the session (events at 50/s) is drawn at most this often, so the frames keys need are
       * not queued behind a frame per event; keys are drawn at once. 0: every change at once.
       */
      coalesceMs?: number;
      /**
       * Data the current screen does not list (events while the findings are shown: only the header's
       * counts change) is drawn at most this often; default `coalesceMs`.
       */
      unseenMs?: number;
    },
    readonly now: () => Date = () => new Date(),
  ) {
    this.capacity = init.capacity ?? DEFAULT_CAPACITY;
    this.coalesceMs = init.coalesceMs ?? 0;
    this.unseenMs = Math.max(this.coalesceMs, init.unseenMs ?? 0);
    this.snapshot = {
      connection: { state: 'connecting' },
      target: init.target,
      events: [],
      bySeverity: zeroBySeverity(),
      byRule: {},
      findingsFrom: [],
      activeScans: [],
      scans: [],
      nodes: [],
      filters: {
        minSeverity: init.filters?.minSeverity ?? 'info',
        namespaces: init.filters?.namespaces ?? [],
      },
      ui: initialUi(init.screen),
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WatchSnapshot => this.snapshot;

  private notify(): void {
    clearTimeout(this.pending?.timer);
    this.pending = undefined;
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * A change of data: drawn within `coalesceMs` if the current screen shows it, else within `unseenMs`
   * (with whatever else came meanwhile). Keys showing another screen draw at once, with all data so far.
   */
  private update(change: Partial<WatchSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    const shown = SHOWN_ON[this.snapshot.ui.screen];
    const seen = Object.keys(change).some(
      (k) => shown.includes(k as keyof WatchSnapshot) || SHOWN_EVERYWHERE.includes(k as keyof WatchSnapshot),
    );
    const wait = seen ? this.coalesceMs : this.unseenMs;
    const due = performance.now() + wait;
    if (wait <= 0) this.notify();
    else if (!this.pending || this.pending.due > due) {
      clearTimeout(this.pending?.timer);
      this.pending = { timer: setTimeout(() => this.notify(), wait), due };
    }
  }

  /** A change the user made: drawn at once. */
  private ui(change: Partial<UiState>): void {
    this.snapshot = { ...this.snapshot, ui: { ...this.snapshot.ui, ...change } };
    this.notify();
  }

  // Data, from the session.

  setConnection(state: ConnectionState, message?: string): void {
    this.update({ connection: message === undefined ? { state } : { state, message } });
  }

  setUser(user: string): void {
    this.update({ user });
  }

  /**
   * A runtime event arrived: first sight goes on top; a repeat moves to the top with its count bumped.
   * The same occurrence again (a catch-up after a reconnect resends what came just before the drop) is
   * recognised by its unchanged `lastSeen` and counted once.
   */
  addEvent(finding: Finding): void {
    const { events, bySeverity, byRule, lastEventAt } = this.snapshot;
    const earlier = events.find((e) => e.finding.id === finding.id);
    if (earlier && earlier.finding.lastSeen === finding.lastSeen) return;
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
      lastEventAt: !lastEventAt || finding.lastSeen > lastEventAt ? finding.lastSeen : lastEventAt,
    });
  }

  setScans(scans: ScanSummary[]): void {
    this.update({ scans });
  }

  setActiveScans(activeScans: ActiveScan[]): void {
    this.update({ activeScans });
  }

  setNodes(nodes: NodeStatus[], error?: string): void {
    this.update({ nodes, nodesError: error });
  }

  setFindings(findings: Finding[], from: WatchSnapshot['findingsFrom']): void {
    this.update({ findings, findingsFrom: from });
  }

  /** Where to send "open this scan" (the session's client); undefined while disconnected. */
  setScanLoader(loader: ((scanId: string) => void) | undefined): void {
    this.scanLoader = loader;
  }

  setOpenedScan(opened: OpenedScan): void {
    if (this.snapshot.openedScan?.scanId === opened.scanId) this.update({ openedScan: opened });
  }

  // UI state, from the keys.

  showScreen(screen: ScreenName): void {
    this.ui({ screen, detail: false, detailScroll: 0, help: false, scanFocus: undefined, notice: undefined });
  }

  /** Enter on a scan: the findings screen, narrowed to that scan, loaded from its stored report. */
  openScan(scanId: string): void {
    const running = this.snapshot.activeScans.some((s) => s.scanId === scanId);
    this.snapshot = {
      ...this.snapshot,
      openedScan: running
        ? { scanId, state: 'failed', findings: [], problems: [], error: 'still running: findings when done' }
        : { scanId, state: 'loading', findings: [], problems: [] },
      ui: { ...this.snapshot.ui, screen: 'findings', scanFocus: scanId, detail: false, notice: undefined },
    };
    this.notify();
    if (!running) {
      if (this.scanLoader) this.scanLoader(scanId);
      else
        this.setOpenedScan({ scanId, state: 'failed', findings: [], problems: [], error: 'not connected' });
    }
  }

  /** The cursor of the current screen: on `key` when it is still listed, else at `index`. */
  select(index: number, key?: string): void {
    const { ui } = this.snapshot;
    this.ui({
      cursor: { ...ui.cursor, [ui.screen]: Math.max(0, index) },
      selectedKey: { ...ui.selectedKey, [ui.screen]: index <= 0 ? undefined : key },
      notice: undefined,
    });
  }

  /** The scans screen's cursor on this scan, wherever new scans put it (`scan -w`). */
  focusScan(scanId: string): void {
    const { ui } = this.snapshot;
    this.ui({ cursor: { ...ui.cursor, scans: 1 }, selectedKey: { ...ui.selectedKey, scans: scanId } });
  }

  openPrompt(kind: Prompt['kind']): void {
    const text = kind === 'filter' ? this.snapshot.ui.query[this.snapshot.ui.screen] : '';
    this.ui({ prompt: { kind, text }, notice: undefined });
  }

  /** Typing in the prompt; a `/` filter applies as it is typed. */
  editPrompt(text: string): void {
    const { ui } = this.snapshot;
    if (!ui.prompt) return;
    this.ui({
      prompt: { ...ui.prompt, text },
      ...(ui.prompt.kind === 'filter'
        ? { query: { ...ui.query, [ui.screen]: text }, cursor: { ...ui.cursor, [ui.screen]: 0 } }
        : {}),
    });
  }

  /** Esc in the prompt: a filter is cleared, a command dropped. */
  cancelPrompt(): void {
    const { ui } = this.snapshot;
    if (ui.prompt?.kind === 'filter') this.ui({ prompt: undefined, query: { ...ui.query, [ui.screen]: '' } });
    else this.ui({ prompt: undefined });
  }

  /** Enter in the prompt: a filter stays, a command runs. Returns true for `:q`. */
  submitPrompt(): boolean {
    const prompt = this.snapshot.ui.prompt;
    this.ui({ prompt: undefined });
    if (prompt?.kind !== 'command') return false;
    const [word = '', ...args] = prompt.text.trim().split(/\s+/);
    if (word === 'q' || word === 'quit' || word === 'q!') return true;
    const screen = screenNamed(word);
    if (word === 'help' || word === '?') this.toggleHelp(true);
    else if (word === 'ns' || word === 'namespace') {
      const all = args.length === 0 || args[0] === 'all' || args[0] === '-A';
      this.setNamespaces(all ? [] : args);
    } else if (screen) this.showScreen(screen);
    else if (word) this.ui({ notice: `unknown command :${word} — try :events :findings :scans :nodes :ns` });
    return false;
  }

  /** Esc outside the prompt: closes help, then details, then a scan's findings, then clears the filter. */
  back(): void {
    const { ui } = this.snapshot;
    if (ui.help) this.ui({ help: false });
    else if (ui.detail) this.ui({ detail: false, detailScroll: 0 });
    else if (ui.scanFocus) this.ui({ scanFocus: undefined, screen: 'scans' });
    else if (ui.query[ui.screen]) this.ui({ query: { ...ui.query, [ui.screen]: '' } });
    else this.ui({ notice: undefined });
  }

  toggleHelp(open = !this.snapshot.ui.help): void {
    this.ui({ help: open, notice: undefined });
  }

  openDetail(): void {
    this.ui({ detail: true, detailScroll: 0, notice: undefined });
  }

  scrollDetail(by: number, lines: number): void {
    const detailScroll = Math.max(0, Math.min(this.snapshot.ui.detailScroll + by, Math.max(0, lines)));
    this.ui({ detailScroll });
  }

  /** info → low → medium → high → critical → info: the `s` key. */
  cycleMinSeverity(): void {
    const order = [...SEVERITIES].reverse();
    const next = order[(order.indexOf(this.snapshot.filters.minSeverity) + 1) % order.length]!;
    this.snapshot = { ...this.snapshot, filters: { ...this.snapshot.filters, minSeverity: next } };
    this.notify();
  }

  setNamespaces(namespaces: string[]): void {
    this.snapshot = { ...this.snapshot, filters: { ...this.snapshot.filters, namespaces } };
    this.notify();
  }

  /** severity → namespace → resource → rule → scanner: the `o` key on the findings screen. */
  cycleOrder(): void {
    const next =
      FINDING_ORDERS[(FINDING_ORDERS.indexOf(this.snapshot.ui.order) + 1) % FINDING_ORDERS.length]!;
    this.ui({ order: next });
  }
}
