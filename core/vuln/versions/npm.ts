import semver from 'semver';
import { compareParsed, type VersionOrdering } from './version-ordering.js';

// npm orders versions with node-semver (SemVer 2.0 precedence; build metadata ignored). npm itself
// parses leniently (`v1.2.3`, `=1.2.3`, surrounding spaces), so the loose parser is used here too.
const parse = (version: string) => semver.parse(version, { loose: true }) ?? undefined;

export const npmOrdering: VersionOrdering = {
  ecosystem: 'npm',
  names: ['npm'],
  isValid: (v) => typeof v === 'string' && parse(v) !== undefined,
  compare: compareParsed(parse, (a, b) => semver.compare(a, b, { loose: true })),
};
