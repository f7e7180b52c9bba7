import { render } from 'ink';
import { WatchScreen } from './watch-screen.js';
import type { WatchStore } from './watch-store.js';

/**
 * Draws the screen on the terminal until `q` (or Ctrl-C, or `stop` from elsewhere); `onQuit` stops the
 * session behind it.
 */
export async function runWatchScreen(
  store: WatchStore,
  onQuit: () => void,
  stop: AbortSignal,
): Promise<void> {
  const instance = render(<WatchScreen store={store} onQuit={onQuit} />, { exitOnCtrlC: false });
  stop.addEventListener('abort', () => instance.unmount(), { once: true });
  await instance.waitUntilExit();
}
