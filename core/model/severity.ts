import { z } from 'zod';
import { SEVERITIES } from './severity-levels.js';

export { atLeast, compareSeverity, parseSeverity, SEVERITIES } from './severity-levels.js';

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
