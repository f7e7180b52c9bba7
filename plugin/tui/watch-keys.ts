import type { Key } from 'ink';
import type { Row } from './screens/screen-model.js';
import { SCREENS } from './ui-state.js';
import type { WatchStore } from './watch-store.js';

/** What the keys need to know of the screen as drawn. */
export interface KeyContext {
  rows: Row[];
  cursor: number;
  /** Rows per page. */
  page: number;
  /** Lines of the open details pane, to bound its scrolling. */
  detailLines: number;
  quit: () => void;
}

function move(store: WatchStore, ctx: KeyContext, to: number): void {
  const index = Math.max(0, Math.min(to, ctx.rows.length - 1));
  store.select(index, ctx.rows[index]?.key);
}

function typeInPrompt(store: WatchStore, input: string, key: Key, ctx: KeyContext): void {
  const text = store.getSnapshot().ui.prompt?.text ?? '';
  if (key.escape) store.cancelPrompt();
  else if (key.return) {
    if (store.submitPrompt()) ctx.quit();
  } else if (key.backspace || key.delete) {
    if (text === '') store.cancelPrompt();
    else store.editPrompt(text.slice(0, -1));
  } else if (key.ctrl && input === 'u') store.editPrompt('');
  else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: typed control characters are dropped
    store.editPrompt((text + input.replace(/[\u0000-\u001f\u007f]/g, '')).slice(0, 200));
}

/**
 * Every key of the watch (the `?` overlay lists them, help-overlay.ts): k9s' `:` prompt and number keys
 * for screens, `/` filter, vi and page keys for the cursor, enter and esc for details.
 */
export function handleKey(store: WatchStore, input: string, key: Key, ctx: KeyContext): void {
  // Keys typed faster than a frame (or pasted) arrive as one string: each is a key of its own, and the
  // first (`/`, `:`) may change what the next ones do.
  const plain = !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab;
  if (plain && [...input].length > 1) {
    for (const char of input) {
      const named = { ...key, shift: char !== char.toLowerCase() };
      if (char === '\r' || char === '\n') handleKey(store, '', { ...named, return: true }, ctx);
      else if (char === '\u007f' || char === '\b') handleKey(store, '', { ...named, backspace: true }, ctx);
      else handleKey(store, char, named, ctx);
    }
    return;
  }
  const { ui } = store.getSnapshot();
  if ((key.ctrl && input === 'c') || (input === 'q' && !ui.prompt)) ctx.quit();
  else if (ui.prompt) typeInPrompt(store, input, key, ctx);
  else if (ui.help) {
    if (key.escape || input === '?' || key.return) store.toggleHelp(false);
  } else if (input === '?') store.toggleHelp(true);
  else if (input === ':') store.openPrompt('command');
  else if (input === '/') store.openPrompt('filter');
  else if (key.escape) store.back();
  else if (/^[1-4]$/.test(input)) store.showScreen(SCREENS[Number(input) - 1]!);
  else if (input === 's') store.cycleMinSeverity();
  else if (input === 'o' && ui.screen === 'findings') store.cycleOrder();
  else if (ui.detail) scrollDetail(store, input, key, ctx);
  else moveCursor(store, input, key, ctx);
}

function scrollDetail(store: WatchStore, input: string, key: Key, ctx: KeyContext): void {
  const by = (n: number) => store.scrollDetail(n, ctx.detailLines);
  if (key.upArrow || input === 'k') by(-1);
  else if (key.downArrow || input === 'j') by(1);
  else if (key.pageUp) by(-ctx.page);
  else if (key.pageDown || input === ' ') by(ctx.page);
  else if (input === 'g' || key.home) by(-ctx.detailLines);
  else if (input === 'G' || key.end) by(ctx.detailLines);
  else if (key.return) store.back();
}

function moveCursor(store: WatchStore, input: string, key: Key, ctx: KeyContext): void {
  if (key.upArrow || input === 'k') move(store, ctx, ctx.cursor - 1);
  else if (key.downArrow || input === 'j') move(store, ctx, ctx.cursor + 1);
  else if (key.pageUp) move(store, ctx, ctx.cursor - ctx.page);
  else if (key.pageDown || input === ' ') move(store, ctx, ctx.cursor + ctx.page);
  else if (input === 'g' || key.home) move(store, ctx, 0);
  else if (input === 'G' || key.end) move(store, ctx, ctx.rows.length - 1);
  else if (key.return) {
    const target = ctx.rows[ctx.cursor]?.target;
    if (target?.kind === 'scan') store.openScan(target.scanId);
    else if (target) store.openDetail();
  }
}
