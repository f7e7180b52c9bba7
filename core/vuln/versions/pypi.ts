import { compare, valid } from '@renovatebot/pep440';
import { compareParsed, type VersionOrdering } from './version-ordering.js';

// PEP 440 (packaging.python.org "Version specifiers"): epochs, pre/post/dev releases, local
// versions and the normalisations (`1.0.0a1` == `1.0.0.a1`, `1.0-post1` == `1.0.post1`, `v1.0`,
// surrounding whitespace), via @renovatebot/pep440, a port of PyPA packaging's Version.
const parse = (version: string) => {
  const text = version.trim();
  return valid(text) !== null ? text : undefined;
};

export const pypiOrdering: VersionOrdering = {
  ecosystem: 'pep440',
  names: ['PyPI'],
  isValid: (v) => typeof v === 'string' && parse(v) !== undefined,
  compare: compareParsed(parse, compare),
};
