import type { Severity } from '../../core/model/index.js';

/** Ink colour names per severity, the same scale as the table renderer's. */
export const SEVERITY_COLOUR: Record<Severity, string> = {
  critical: 'redBright',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
  info: 'gray',
};
