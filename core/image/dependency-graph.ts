import type { ImagePackage } from './package.js';

/** Edges of the SBOM's dependency graph: a component's purl → the purls of what it depends on. */
export type DependencyGraph = Map<string, Set<string>>;

/**
 * Resolves each npm package's declared dependencies the way Node.js does at run time
 * (https://nodejs.org/api/modules.html#loading-from-node_modules-folders): the nearest
 * `node_modules/<name>` from the requiring package's own folder upwards. A name with no installed
 * copy has no edge (an optional or unmet dependency); other ecosystems carry no `requires` yet.
 */
export function npmDependencyGraph(packages: readonly ImagePackage[]): DependencyGraph {
  const installedAt = new Map<string, ImagePackage>();
  for (const p of packages) {
    if (p.ecosystem === 'npm' && p.role !== 'application' && p.path.endsWith('/package.json'))
      installedAt.set(p.path.slice(0, -'/package.json'.length), p);
  }
  const graph: DependencyGraph = new Map();
  for (const p of packages) {
    if (p.ecosystem !== 'npm' || !p.requires?.length) continue;
    const edges = graph.get(p.purl) ?? new Set<string>();
    const folder = p.path.slice(0, p.path.lastIndexOf('/'));
    for (const name of p.requires) {
      const target = resolveFrom(folder, name, installedAt);
      if (target && target.purl !== p.purl) edges.add(target.purl);
    }
    graph.set(p.purl, edges);
  }
  return graph;
}

/** Node's lookup: `<dir>/node_modules/<name>` for dir = the package's folder, then each ancestor. */
function resolveFrom(
  folder: string,
  name: string,
  installedAt: ReadonlyMap<string, ImagePackage>,
): ImagePackage | undefined {
  let dir = folder;
  for (;;) {
    // A folder that is itself node_modules gets no nested node_modules/node_modules lookup.
    if (!dir.endsWith('node_modules')) {
      const hit = installedAt.get(dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`);
      if (hit) return hit;
    }
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}
