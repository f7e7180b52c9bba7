import type { Report } from '../../model/index.js';

export interface RenderOptions {
  /** ANSI colours: only for a terminal, never when NO_COLOR is set. */
  color: boolean;
  /** The tool's version, for formats that record it (SARIF). */
  toolVersion: string;
}

export interface Renderer {
  name: string;
  render(report: Report, options: RenderOptions): string;
}
