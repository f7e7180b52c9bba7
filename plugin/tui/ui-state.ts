/** The four screens, in the order of their number keys (k9s' `:` command names). */
export const SCREENS = ['events', 'findings', 'scans', 'nodes'] as const;
export type ScreenName = (typeof SCREENS)[number];

/** What the findings screen sorts and groups by (`o` cycles it). */
export const FINDING_ORDERS = ['severity', 'namespace', 'resource', 'rule', 'scanner'] as const;
export type FindingOrder = (typeof FINDING_ORDERS)[number];

/** The prompt line at the bottom: a `:` command or a `/` filter being typed. */
export interface Prompt {
  kind: 'command' | 'filter';
  text: string;
}

/** Where the user is: screen, cursor, filters typed, overlays. Data lives beside it in the store. */
export interface UiState {
  screen: ScreenName;
  /** The row index the cursor was last put at, per screen. */
  cursor: Record<ScreenName, number>;
  /**
   * The row it was put on: the cursor stays on it as rows arrive above it. At the top (undefined) it
   * follows the newest row, a live tail.
   */
  selectedKey: Partial<Record<ScreenName, string>>;
  /** The `/` filter of each screen. */
  query: Record<ScreenName, string>;
  prompt?: Prompt;
  help: boolean;
  /** The selected row's details are open; `detailScroll` is how far down they are scrolled. */
  detail: boolean;
  detailScroll: number;
  /** The findings screen shows one scan's findings (enter on a scan) instead of the cluster's latest. */
  scanFocus?: string;
  order: FindingOrder;
  /** A one-line message (an unknown command), cleared by the next key. */
  notice?: string;
}

const perScreen = <T>(value: T): Record<ScreenName, T> =>
  Object.fromEntries(SCREENS.map((s) => [s, value])) as Record<ScreenName, T>;

export function initialUi(screen: ScreenName = 'events'): UiState {
  return {
    screen,
    cursor: perScreen(0),
    selectedKey: {},
    query: perScreen(''),
    help: false,
    detail: false,
    detailScroll: 0,
    order: 'severity',
  };
}

/** `:events`, `:ev`, `:findings`, … as k9s takes them: a screen name or any prefix of one. */
export function screenNamed(text: string): ScreenName | undefined {
  const word = text.trim().toLowerCase();
  if (!word) return undefined;
  return SCREENS.find((s) => s.startsWith(word) || (word.endsWith('s') && s === word));
}
