import type { Report, Severity } from '../../model/index.js';

/** What `--fail-on` found, for the summary to say why the exit code is 1. */
export interface FailOnOutcome {
  severity: Severity;
  /** Open findings at or above `severity`. */
  matched: number;
  /** How many of them `--severity` keeps out of the output. */
  hidden: number;
}

export interface RenderOptions {
  /** ANSI colours: only for a terminal, never when NO_COLOR is set. */
  color: boolean;
  /** The tool's version, for formats that record it (SARIF). */
  toolVersion: string;
  /** Columns the text formats may use (the terminal's width); see DEFAULT_WIDTH. */
  width?: number;
  failOn?: FailOnOutcome;
}

/** The width of text output when there is no terminal to measure (piped, CI logs) and no $COLUMNS. */
export const DEFAULT_WIDTH = 100;

export interface Renderer {
  name: string;
  render(report: Report, options: RenderOptions): string;
}
