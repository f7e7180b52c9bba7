import { parseEcosystem } from '../ecosystem.js';
import { apkOrdering } from './apk.js';
import { dpkgOrdering } from './dpkg.js';
import { mavenOrdering } from './maven.js';
import { pypiOrdering } from './pypi.js';
import { rpmOrdering } from './rpm.js';
import { rubyGemsOrdering } from './rubygems.js';
import { goOrdering, npmOrdering } from './semver.js';
import type { VersionOrdering } from './version-ordering.js';

export type { VersionOrdering } from './version-ordering.js';

/** One ordering per ecosystem family; each file implements its ecosystem's own specification. */
export const VERSION_ORDERINGS: readonly VersionOrdering[] = [
  dpkgOrdering,
  apkOrdering,
  rpmOrdering,
  npmOrdering,
  goOrdering,
  pypiOrdering,
  mavenOrdering,
  rubyGemsOrdering,
];

const byEcosystem = new Map(VERSION_ORDERINGS.flatMap((o) => o.ecosystems.map((e) => [e, o] as const)));

/** The ordering for an OSV ecosystem string (`Debian:12`, `npm`, `Alpine:v3.20`…), or undefined if unknown. */
export function orderingFor(ecosystem: string): VersionOrdering | undefined {
  return byEcosystem.get(parseEcosystem(ecosystem).base);
}
