/** `pkg:npm/%40scope/name@1.0?arch=x#sub` → `npm/@scope/name@1.0`: type, namespace, name and version only. */
export function purlIdentity(purl: string): string | undefined {
  const m = /^pkg:([^/]+)\/([^?#]+)/.exec(purl);
  if (!m) return undefined;
  const type = m[1]!.toLowerCase();
  // Debian's purls carry the distro as a qualifier; the namespace varies (debian/ubuntu): keep name@version.
  const path = decodeURIComponent(m[2]!);
  return `${type}/${type === 'deb' ? path.slice(path.indexOf('/') + 1) : path}`;
}

export interface EcosystemRow {
  type: string;
  seco: number;
  peer: number;
  both: number;
  onlySeco: string[];
  onlyPeer: string[];
}

/** Components per purl type found by seco and by a peer, and which each found alone. */
export function compareComponents(seco: readonly string[], peer: readonly string[]): EcosystemRow[] {
  const ids = (list: readonly string[]) =>
    new Set(list.map(purlIdentity).filter((id): id is string => id !== undefined));
  const a = ids(seco);
  const b = ids(peer);
  const types = [...new Set([...a, ...b].map((id) => id.slice(0, id.indexOf('/'))))].sort();
  return types.map((type) => {
    const ofType = (set: Set<string>) => [...set].filter((id) => id.startsWith(`${type}/`));
    const inA = ofType(a);
    const inB = ofType(b);
    return {
      type,
      seco: inA.length,
      peer: inB.length,
      both: inA.filter((id) => b.has(id)).length,
      onlySeco: inA.filter((id) => !b.has(id)).sort(),
      onlyPeer: inB.filter((id) => !a.has(id)).sort(),
    };
  });
}
