import type { Severity } from '../../core/model/index.js';

/** Ink colour names per severity, the same scale as the table renderer's. */
export const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: 'redBright',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
};

/** The colour for a severity, or none when colours are off. */
export function severityColour(severity: Severity | undefined, colour: boolean): string | undefined {
  return colour && severity ? SEVERITY_COLOUR[severity] : undefined;
}
