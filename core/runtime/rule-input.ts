import type { CgroupContainer } from './cgroup-container.js';
import type { PodContainer } from './pod-index.js';
import type { EventSource, ProcessInfo } from './process-info.js';
import type { RuleInput } from './rule-engine.js';

export interface EventContext {
  type: 'exec' | 'listen' | 'snapshot';
  source: EventSource | 'socket-poll';
  node: string;
  proc: ProcessInfo;
  parent?: ProcessInfo;
  /** Container of the parent: '' for the host, undefined when the parent could not be read. */
  parentContainerId?: string;
  container?: CgroupContainer;
  pod?: PodContainer;
  /** Link targets of the process's open fds at the time it was read. */
  fds: string[];
  listen?: { port: number; address: string };
  /** Executable paths of the container's image, when its SBOM is stored. */
  imageFiles?: ReadonlySet<string>;
}

/**
 * The document rule conditions see. Field names follow Falco's (`proc.name`, `proc.pname`, `container.id`,
 * `fd.*` folded into `file.paths`) so rules read familiar; every field is always present, so a condition on
 * a host process does not error on `pod.name` but sees ''.
 */
export function ruleInput(e: EventContext): RuleInput {
  const p = e.proc;
  const argPaths = p.args.slice(1).filter((a) => a.startsWith('/'));
  const openPaths = e.fds.filter((t) => t.startsWith('/'));
  const exePath = p.exe;
  return {
    evt: { type: e.type, source: e.source },
    node: e.node,
    proc: {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      args: p.args,
      cmdline: p.cmdline,
      uid: p.uid,
      cwd: p.cwd,
      stdio: p.stdio,
      tty: p.stdio[0] === 'tty',
      is_container_init: p.isNamespaceInit,
      pname: e.parent?.name ?? '',
      pexe: e.parent?.exe ?? '',
      pcmdline: e.parent?.cmdline ?? '',
      // Unknown parent counts as inside: an alert needs evidence, not a missing read.
      parent_in_container:
        e.parentContainerId === undefined || e.parentContainerId === (e.container?.id ?? ''),
    },
    file: { paths: [...new Set([...openPaths, ...argPaths])], open: openPaths, args: argPaths },
    net: { listen_port: e.listen?.port ?? 0, listen_address: e.listen?.address ?? '' },
    container: {
      id: e.container?.id ?? '',
      runtime: e.container?.runtime ?? '',
      name: e.pod?.container ?? '',
      image: e.pod?.image ?? '',
      image_id: e.pod?.imageId ?? '',
    },
    pod: {
      name: e.pod?.pod ?? '',
      namespace: e.pod?.namespace ?? '',
      uid: e.pod?.podUid ?? e.container?.podUid ?? '',
      run_as_non_root: e.pod?.runAsNonRoot ?? false,
      service_account: e.pod?.serviceAccount ?? '',
      ports: e.pod?.ports ?? [],
    },
    image: {
      sbom_known: e.imageFiles !== undefined,
      exe_in_sbom: e.imageFiles ? e.imageFiles.has(exePath) : true,
    },
  };
}
