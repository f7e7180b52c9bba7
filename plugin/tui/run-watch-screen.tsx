import { render } from 'ink';
import { colourWanted } from './colour.js';
import { WatchScreen } from './watch-screen.js';
import type { WatchStore } from './watch-store.js';

// xterm's alternate screen (DECSET 1049): the watch draws on a screen of its own, and on exit the
// terminal shows again what it showed before, with no frame of the watch left behind. The alternate
// screen is cleared before it is left: tmux, when the terminal grew meanwhile, showed the rows drawn
// below the old height over the restored screen.
const ENTER_ALTERNATE = '\u001b[?1049h\u001b[H\u001b[2J';
const LEAVE_ALTERNATE = '\u001b[H\u001b[2J\u001b[?1049l';
const CLEAR = '\u001b[H\u001b[2J';

/**
 * How Ink draws the watch. Ink holds a frame back until 1/maxFps after the last one (30 by default: up
 * to 34 ms), so a key pressed just after an event frame waited for nothing; the store already spaces
 * data frames (DATA_FRAME_MS) and a key is one frame, so Ink's own spacing is kept only short enough to
 * merge frames asked for in the same moment (bench:tui, docs/benchmarks.md).
 */
export const INK_OPTIONS = { maxFps: 250 } as const;

/**
 * Draws the screen on the terminal until `q` (or Ctrl-C, or `stop` from elsewhere); `onQuit` stops the
 * session behind it. The terminal is given back as it was, whatever ends the screen.
 */
export async function runWatchScreen(
  store: WatchStore,
  onQuit: () => void,
  stop: AbortSignal,
): Promise<void> {
  const stdout = process.stdout;
  // Registered before Ink's own resize listener, so the old frame is wiped before the new one is drawn:
  // a narrower terminal would otherwise rewrap the old frame into garbage above the new one.
  const onResize = () => stdout.write(CLEAR);
  stdout.on('resize', onResize);
  stdout.write(ENTER_ALTERNATE);
  const restore = () => stdout.write(LEAVE_ALTERNATE);
  process.once('exit', restore);
  try {
    const instance = render(
      <WatchScreen store={store} onQuit={onQuit} colour={colourWanted(process.env, stdout.isTTY)} />,
      { ...INK_OPTIONS, exitOnCtrlC: false, patchConsole: false },
    );
    stop.addEventListener('abort', () => instance.unmount(), { once: true });
    await instance.waitUntilExit();
  } finally {
    stdout.off('resize', onResize);
    process.off('exit', restore);
    restore();
  }
}
