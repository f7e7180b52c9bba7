import { parse } from 'yaml';
import { z } from 'zod';

/**
 * One entry of a `--ignore` file. `resource` is `namespace/kind/name` (or `kind/name` for
 * cluster-scoped objects), each segment may be `*`; leaving it out ignores the check everywhere.
 */
export const IgnoreRule = z.object({
  id: z.string().min(1),
  resource: z.string().min(1).optional(),
  reason: z.string().min(1, 'every ignore rule needs a reason'),
  /** After this date (YYYY-MM-DD) the rule no longer suppresses: suppressions should be revisited. */
  expires: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).optional(),
});
export type IgnoreRule = z.infer<typeof IgnoreRule>;

const IgnoreFile = z.object({ ignores: z.array(IgnoreRule) });

/** Parses an ignore file's text; throws an Error naming the file and what is wrong. */
export function parseIgnoreFile(name: string, text: string): IgnoreRule[] {
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`${name}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = IgnoreFile.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${name}: ${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data.ignores;
}
