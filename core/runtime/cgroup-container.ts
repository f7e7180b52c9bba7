/** The container a process runs in, as its cgroup path tells; runtime is a guess from the path's naming. */
export interface CgroupContainer {
  id: string;
  runtime: 'containerd' | 'cri-o' | 'docker' | 'podman' | 'unknown';
  /** Pod UID when the path is under kubepods (dashes restored from systemd's underscores). */
  podUid?: string;
}

// Last path segment naming a 64-hex id, with the prefixes each runtime uses in systemd scopes:
//   cri-containerd-<id>.scope, crio-<id>.scope, docker-<id>.scope, libpod-<id>.scope,
// and the cgroupfs layouts: /kubepods/<qos>/pod<uid>/<id>, /docker/<id>, /machine.slice/libpod-<id>.
const SEGMENT = /^(cri-containerd-|crio-|docker-|libpod-)?([0-9a-f]{64})(?:\.scope)?$/;
const POD =
  /(?:^|[/-])pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})(?:\.slice)?(?:\/|$)/;

const RUNTIME_BY_PREFIX: Record<string, CgroupContainer['runtime']> = {
  'cri-containerd-': 'containerd',
  'crio-': 'cri-o',
  'docker-': 'docker',
  'libpod-': 'podman',
};

/**
 * Parses /proc/<pid>/cgroup (v1: many `id:controllers:path` lines; v2: one `0::path` line).
 * Host processes, and conmon/shim scopes (`crio-conmon-<id>.scope`) that are not the container, give undefined.
 */
export function containerFromCgroup(text: string): CgroupContainer | undefined {
  for (const line of text.split('\n', 64)) {
    const second = line.indexOf(':', line.indexOf(':') + 1);
    if (second < 0) continue;
    const path = line.slice(second + 1);
    const found = fromPath(path);
    if (found) return found;
  }
  return undefined;
}

function fromPath(path: string): CgroupContainer | undefined {
  const segments = path.split('/').filter(Boolean);
  // Walk from the leaf: a container may create sub-cgroups of its own below its id (systemd in a container).
  for (let i = segments.length - 1; i >= 0; i--) {
    const match = SEGMENT.exec(segments[i]!);
    if (!match) continue;
    const prefix = match[1];
    const parent = segments[i - 1] ?? '';
    const runtime = prefix
      ? RUNTIME_BY_PREFIX[prefix]!
      : parent === 'docker'
        ? 'docker'
        : parent.startsWith('libpod')
          ? 'podman'
          : 'unknown';
    const pod = POD.exec(segments.slice(0, i).join('/'));
    return { id: match[2]!, runtime, ...(pod ? { podUid: pod[1]!.replace(/_/g, '-') } : {}) };
  }
  return undefined;
}
