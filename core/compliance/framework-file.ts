import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { resourcePath } from '../build/resource-root.js';
import { ComplianceFramework } from '../model/index.js';

/** A framework's control list as its data file says it (core/compliance/frameworks/<name>.yaml). */
export const FrameworkFile = z.object({
  framework: ComplianceFramework,
  title: z.string(),
  controls: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      title: z.string(),
      checks: z.array(z.string()).min(1),
      /** Only findings whose evidence matches this regex count (one check judging several controls). */
      evidence: z.string().optional(),
    }),
  ),
});
export type FrameworkFile = z.infer<typeof FrameworkFile>;

export function loadFramework(
  name: ComplianceFramework,
  dir = resourcePath('core/compliance/frameworks'),
): FrameworkFile {
  const file = join(dir, `${name}.yaml`);
  const parsed = FrameworkFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
