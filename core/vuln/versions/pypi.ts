import { compare, valid } from '@renovatebot/pep440';
import type { VersionOrdering } from './version-ordering.js';

/** PEP 440 ordering (epochs, pre/post/dev releases, local versions, normalisation) via @renovatebot/pep440. */
export const pypiOrdering: VersionOrdering = {
  ecosystems: ['PyPI'],
  isValid: (v) => valid(v) !== null,
  compare(a, b) {
    const va = valid(a) !== null;
    const vb = valid(b) !== null;
    if (!va || !vb) return va ? 1 : vb ? -1 : a.localeCompare(b);
    return Math.sign(compare(a, b));
  },
};
