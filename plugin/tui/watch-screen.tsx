import { Box, useApp, useInput, useStdout } from 'ink';
import { useSyncExternalStore } from 'react';
import { EventDetail } from './event-detail.js';
import { EventsTable } from './events-table.js';
import { KeyFooter } from './key-footer.js';
import { ScansPane } from './scans-pane.js';
import { WatchHeader } from './watch-header.js';
import type { WatchStore } from './watch-store.js';

const SCAN_ROWS = 5;
/** Header (4 with its border), scans pane (SCAN_ROWS + 3), table heading, footer. */
const CHROME_ROWS = 4 + SCAN_ROWS + 3 + 1 + 1;

/** The whole `kubectl seco watch` screen, drawn from the store; keys change the store, `q` quits. */
export function WatchScreen({ store, onQuit }: { store: WatchStore; onQuit?: () => void }) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { stdout } = useStdout();
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) {
      onQuit?.();
      exit();
    } else if (key.upArrow) store.moveSelection(-1);
    else if (key.downArrow) store.moveSelection(1);
    else if (key.return) store.toggleDetail();
    else if (key.escape) store.toggleDetail(false);
    else if (input === 's') store.cycleMinSeverity();
  });
  const selected = snapshot.visible[snapshot.selected];
  const rows = Math.max(3, (stdout.rows || 24) - CHROME_ROWS);
  return (
    <Box flexDirection="column">
      <WatchHeader
        target={snapshot.target}
        user={snapshot.user}
        connection={snapshot.connection}
        bySeverity={snapshot.bySeverity}
      />
      {snapshot.detailOpen && selected ? (
        <EventDetail event={selected} />
      ) : (
        <EventsTable events={snapshot.visible} selected={snapshot.selected} rows={rows} />
      )}
      <ScansPane scans={snapshot.scans} rows={SCAN_ROWS} />
      <KeyFooter minSeverity={snapshot.filters.minSeverity} detailOpen={snapshot.detailOpen} />
    </Box>
  );
}
