import { Flags } from '@oclif/core';
// Only zod-free modules here: these flags are defined at every start, `--help` included.
import {
  parseSeverity,
  SEVERITIES,
  type SeverityLevel as Severity,
} from '../../core/model/severity-levels.js';
import { OUTPUT_FORMATS } from '../../core/report/render/formats.js';

/** Output flags every scan command shares, with the same names and meaning. */
export const outputFlags = {
  output: Flags.string({
    char: 'o',
    description: 'output format',
    options: [...OUTPUT_FORMATS],
    default: 'table',
  }),
  'fail-on': Flags.string({
    description: 'exit 1 when an open finding at or above this severity remains',
    options: [...SEVERITIES],
  }),
  severity: Flags.string({ description: 'show only these severities (comma-separated), e.g. critical,high' }),
};

export function parseSeverityList(value: string | undefined): Set<Severity> | undefined {
  if (value === undefined) return undefined;
  return new Set(value.split(',').map((s) => parseSeverity(s.trim())));
}
