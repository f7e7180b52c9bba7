import { flatString } from './string-pool.js';

/**
 * Field paths as findings print them (`spec.containers[0].securityContext.privileged`), one shared
 * flat string per distinct path. A large scan formats the same few hundred paths hundreds of
 * thousands of times: the pool walks a tree keyed by the path's segments (map lookups on keys that
 * are already strings or small integers) and builds a path's text only the first time it is seen.
 */
export class PathPool {
  private readonly root: PathNode = { children: new Map() };

  format(path: ReadonlyArray<string | number>): string {
    let node = this.root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    if (node.text === undefined) node.text = flatString(formatPath(path));
    return node.text;
  }
}

interface PathNode {
  children: Map<string | number, PathNode>;
  text?: string;
}

export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
