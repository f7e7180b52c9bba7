import { z } from 'zod';

/**
 * The parts of the OSV schema (https://ossf.github.io/osv-schema/) seco reads. Unknown fields are
 * kept out; known fields are checked so a malformed record is refused with the field named.
 */
export const OsvEvent = z.union([
  z.object({ introduced: z.string() }),
  z.object({ fixed: z.string() }),
  z.object({ last_affected: z.string() }),
  z.object({ limit: z.string() }),
]);

export const OsvRange = z.object({
  type: z.enum(['ECOSYSTEM', 'SEMVER', 'GIT']),
  repo: z.string().optional(),
  events: z.array(OsvEvent),
});
export type OsvRange = z.infer<typeof OsvRange>;

export const OsvSeverity = z.object({ type: z.string(), score: z.string() });

export const OsvAffected = z.object({
  package: z
    .object({ ecosystem: z.string().min(1), name: z.string().min(1), purl: z.string().optional() })
    .optional(),
  ranges: z.array(OsvRange).optional(),
  versions: z.array(z.string()).optional(),
  severity: z.array(OsvSeverity).optional(),
  ecosystem_specific: z.record(z.string(), z.unknown()).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvAffected = z.infer<typeof OsvAffected>;

export const OsvRecord = z.object({
  id: z.string().min(1).max(256),
  modified: z.string().optional(),
  published: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  upstream: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(OsvSeverity).optional(),
  affected: z.array(OsvAffected).optional(),
  references: z.array(z.object({ type: z.string().optional(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;
