import { EventEmitter } from 'node:events';

/**
 * A terminal for Ink without a tty: stdout that records when each frame was written, stdin that
 * delivers keys the way a tty in raw mode does. The benchmark drives the real Ink renderer through them.
 */
export class BenchStdout extends EventEmitter {
  readonly isTTY = true;
  frames = 0;
  bytes = 0;
  last = '';
  private waiter?: (text: string) => void;

  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }

  write = (text: string): boolean => {
    this.frames++;
    this.bytes += text.length;
    this.last = text;
    this.waiter?.(text);
    return true;
  };

  /** Resolves with the first write after now that satisfies `match`, or undefined after `ms`. */
  next(match: (text: string) => boolean, ms: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, ms);
      this.waiter = (text) => {
        if (!match(text)) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(text);
      };
    });
  }
}

export class BenchStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  /** One key as a terminal sends it. */
  press(key: string): void {
    this.data = key;
    this.emit('readable');
    this.emit('data', key);
  }
}
