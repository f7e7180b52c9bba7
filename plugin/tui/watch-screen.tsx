import { Box, Text, useApp, useInput } from 'ink';
import { useSyncExternalStore } from 'react';
import { ColourContext, useColour } from './colour.js';
import { type DetailLine, detailLines } from './detail-lines.js';
import { DetailPane } from './detail-pane.js';
import { FooterLine } from './footer-line.js';
import { DisconnectBanner, HeaderBar } from './header-bar.js';
import { HelpOverlay } from './help-overlay.js';
// Ink's per-line work kept from frame to frame: most of what a frame cost (see the module).
import './ink-output-cache.js';
import { ListView } from './list-view.js';
import { printable } from './printable.js';
import { SCREEN_MODELS } from './screens/index.js';
import { cursorIndex, filterRows } from './screens/screen-model.js';
import { type TerminalSize, useTerminalSize } from './terminal-size.js';
import { handleKey } from './watch-keys.js';
import type { WatchSnapshot, WatchStore } from './watch-store.js';

export interface WatchScreenProps {
  store: WatchStore;
  onQuit?: () => void;
  /** Draw in colour (off: NO_COLOR, or not a terminal). */
  colour?: boolean;
  /** The terminal's size when it is not stdout's (tests, benchmarks). */
  size?: TerminalSize;
}

/** Lines every screen spends outside its list: two header lines, the list heading, the footer. */
const CHROME = 4;

/** A scan opened with enter: where its findings come from, and its problems (the first few). */
function ScanBanner({ snapshot, width }: { snapshot: WatchSnapshot; width: number }) {
  const colour = useColour();
  const { openedScan, ui, scans, findingsFrom } = snapshot;
  if (ui.screen !== 'findings') return null;
  if (!ui.scanFocus) {
    const n = findingsFrom.length;
    return (
      <Text dimColor wrap="truncate">
        {` latest scan of ${n} target${n === 1 ? '' : 's'}${n ? `: ${findingsFrom.map((s) => s.target).join(', ')}` : ''}`}
      </Text>
    );
  }
  const target = scans.find((s) => s.scanId === ui.scanFocus)?.target ?? '';
  const problems = openedScan?.scanId === ui.scanFocus ? openedScan.problems : [];
  return (
    <>
      <Text bold wrap="truncate">
        {` scan ${ui.scanFocus} ${printable(target)} · ${problems.length} problem${problems.length === 1 ? '' : 's'}`}
      </Text>
      {problems.slice(0, 3).map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity of their own
        <Text key={i} wrap="truncate" color={colour ? (p.kind === 'warning' ? 'yellow' : 'red') : undefined}>
          {`  ${printable(`${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`).slice(0, width)}`}
        </Text>
      ))}
    </>
  );
}

function bannerLines(snapshot: WatchSnapshot): number {
  const { ui, openedScan } = snapshot;
  if (ui.screen !== 'findings') return 0;
  if (!ui.scanFocus) return 1;
  return 1 + Math.min(3, openedScan?.scanId === ui.scanFocus ? openedScan.problems.length : 0);
}

/**
 * The whole `kubectl seco watch` screen, drawn from the store for the terminal it has: header and
 * footer always shown, the list (or details, or help) in between, every row one line.
 */
export function WatchScreen({ store, onQuit, colour = true, size }: WatchScreenProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { columns: width, rows: height } = useTerminalSize(size);
  const { ui } = snapshot;
  const model = SCREEN_MODELS[ui.screen];
  // The findings screen caches its sorted rows (findings-screen.ts); the others are a few hundred rows.
  const all = model.rows(snapshot, store.now());
  const query = ui.query[ui.screen];
  const rows = filterRows(all, query);
  const cursor = cursorIndex(rows, ui.cursor[ui.screen], ui.selectedKey[ui.screen]);
  const banner =
    snapshot.connection.state === 'reconnecting' || snapshot.connection.state === 'closed' ? 1 : 0;
  // One line short of the terminal: a frame as tall as the terminal would scroll it by a line.
  const body = Math.max(1, height - 1 - CHROME - banner - bannerLines(snapshot));
  const selected = rows[cursor]?.target;
  const details: DetailLine[] = ui.detail && selected ? detailLines(selected, snapshot, width - 2) : [];
  const quit = () => {
    onQuit?.();
    exit();
  };
  useInput((input, key) =>
    handleKey(store, input, key, { rows, cursor, page: body, detailLines: details.length, quit }),
  );
  const noun = all.length === 1 ? model.title.replace(/s$/, '') : model.title;
  const counts = `${rows.length}${rows.length !== all.length ? ` of ${all.length}` : ''} ${noun}`;
  return (
    <ColourContext.Provider value={colour}>
      <Box flexDirection="column" width={width}>
        <HeaderBar snapshot={snapshot} counts={counts} />
        <DisconnectBanner snapshot={snapshot} />
        {ui.help ? (
          <HelpOverlay height={body + 1} />
        ) : ui.detail && selected ? (
          <DetailPane lines={details} height={body + 1} scroll={ui.detailScroll} />
        ) : (
          <>
            <ScanBanner snapshot={snapshot} width={width} />
            <ListView
              columns={model.columns}
              rows={rows}
              cursor={cursor}
              height={body}
              width={width}
              severityColumn={model.severityColumn}
              empty={model.empty(snapshot)}
            />
          </>
        )}
        <FooterLine ui={ui} />
      </Box>
    </ColourContext.Provider>
  );
}
