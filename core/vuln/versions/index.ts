import { parseEcosystem } from '../ecosystem.js';
import { apkOrdering } from './apk.js';
import { composerOrdering } from './composer.js';
import { conanOrdering } from './conan.js';
import { dpkgOrdering } from './dpkg.js';
import { goOrdering } from './go.js';
import { mavenOrdering } from './maven.js';
import { npmOrdering } from './npm.js';
import { nugetOrdering } from './nuget.js';
import { pubOrdering } from './pub.js';
import { pypiOrdering } from './pypi.js';
import { rpmOrdering } from './rpm.js';
import { rubyGemsOrdering } from './rubygems.js';
import { semver2Ordering } from './semver2.js';
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
  semver2Ordering,
  composerOrdering,
  nugetOrdering,
  pubOrdering,
  conanOrdering,
];

const byName = new Map(VERSION_ORDERINGS.flatMap((o) => o.names.map((name) => [name, o] as const)));

/**
 * The ordering for an OSV ecosystem string (`Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.19`, `npm`,
 * `Maven:https://maven.google.com`…): the `:release` suffix is dropped. Undefined when unknown.
 */
export function orderingFor(osvEcosystem: string): VersionOrdering | undefined {
  if (typeof osvEcosystem !== 'string') return undefined;
  return byName.get(parseEcosystem(osvEcosystem.trim()).base);
}
