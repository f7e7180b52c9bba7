import pc from 'picocolors';
import type { Severity } from '../../model/index.js';

type Paint = (s: string) => string;

/** The table's colours; every one a no-op without `color`. */
export function palette(color: boolean) {
  const c = pc.createColors(color);
  const severity: Record<Severity, Paint> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.gray,
  };
  return { severity, dim: c.dim, bold: c.bold, green: c.green, red: c.red, yellow: c.yellow };
}
export type Palette = ReturnType<typeof palette>;
