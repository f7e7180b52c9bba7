import { flatString } from './string-pool.js';

type Segment = string | number;

// The printed text of a shared path (PathNode), kept on its array: non-enumerable, so nothing that
// compares, lists or serialises paths sees it.
const TEXT = Symbol('path text');

/**
 * Field paths as findings print them (`spec.containers[0].securityContext.privileged`), one shared
 * flat string per distinct path. A large scan formats the same few hundred paths hundreds of
 * thousands of times: a path a check took from a PathNode carries its text already, any other is
 * looked up in the same shared tree of PathNodes, whose text is built the first time a path is seen.
 */
export class PathPool {
  format(path: ReadonlyArray<Segment>): string {
    return (path as { [TEXT]?: string })[TEXT] ?? pathNode(path).text;
  }
}

export function formatPath(path: ReadonlyArray<Segment>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

// Nodes made since the tree was last started afresh: hostile input (a pod with 100,000 env entries)
// must not grow it without end. Nodes already handed out stay valid; only sharing restarts.
const NODE_LIMIT = 65_536;
let nodes = 0;

/**
 * One field path shared by every violation found at the same place, with its printed text made once:
 * checks build a violation's path by walking from the pod spec's node (`child`, `below`) instead of
 * copying and concatenating arrays for every violation, and the finding's path text is then read off
 * the array. The array is shared: nothing may change it (Violation.path is only read).
 */
export class PathNode {
  readonly path: ReadonlyArray<Segment>;
  readonly text: string;
  private children: Map<Segment, PathNode> | undefined;

  private constructor(path: ReadonlyArray<Segment>, text: string) {
    this.path = path;
    this.text = text;
    Object.defineProperty(path, TEXT, { value: text });
  }

  /** The root of a fresh tree: the empty path. */
  static root(): PathNode {
    return new PathNode([], '');
  }

  /** This path and one more segment. */
  child(segment: Segment): PathNode {
    let children = this.children;
    if (!children) {
      children = new Map();
      this.children = children;
    }
    let node = children.get(segment);
    if (!node) {
      if (++nodes > NODE_LIMIT) {
        nodes = 0;
        sharedRoot = PathNode.root();
      }
      // formatPath's rule: an index in brackets, a first key bare, every other key after a dot.
      const tail =
        typeof segment === 'number' ? `[${segment}]` : this.path.length === 0 ? segment : `.${segment}`;
      node = new PathNode([...this.path, segment], flatString(`${this.text}${tail}`));
      children.set(segment, node);
    }
    return node;
  }

  /** This path followed by `segments`. */
  below(segments: ReadonlyArray<Segment>): PathNode {
    let node: PathNode = this;
    for (let i = 0; i < segments.length; i++) node = node.child(segments[i]!);
    return node;
  }
}

let sharedRoot = PathNode.root();

/** The shared node of `path` (from the current tree's root). */
export function pathNode(path: ReadonlyArray<Segment>): PathNode {
  return sharedRoot.below(path);
}
