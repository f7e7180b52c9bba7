import type { ScanTarget } from '../../core/protocol/index.js';

const KIND_ALIASES: Record<string, NonNullable<ScanTarget['kind']>> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  job: 'Job',
  jobs: 'Job',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
  cj: 'CronJob',
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  rs: 'ReplicaSet',
};

// RFC 1123 labels and subdomains, as Kubernetes names are.
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface TargetFlags {
  namespace?: string;
  selector?: string;
  allNamespaces?: boolean;
}

/**
 * What `kubectl seco scan` was asked to scan, written the ways kubectl users write it: `ns/app`,
 * `app -n ns`, `deployment/web -n ns`, `ns/deployment/web`, or no argument with `-l` / `-A`.
 */
export function parseScanTarget(
  argument: string | undefined,
  flags: TargetFlags,
  contextNamespace = 'default',
): ScanTarget {
  if (flags.allNamespaces && flags.namespace) throw new Error('-A and -n cannot be combined');
  const base: ScanTarget = flags.allNamespaces
    ? { allNamespaces: true }
    : { namespace: flags.namespace ?? contextNamespace };
  if (flags.selector !== undefined) base.selector = flags.selector;
  if (argument === undefined) {
    if (flags.selector === undefined && !flags.allNamespaces)
      throw new Error('nothing to scan: name a workload (ns/app), or give -l SELECTOR or -A');
    return base;
  }
  const parts = argument.split('/');
  if (parts.length > 3 || parts.some((p) => p === ''))
    throw new Error(`cannot read target ${JSON.stringify(argument)}: use ns/app, kind/name or ns/kind/name`);
  let namespace: string | undefined;
  let kind: ScanTarget['kind'];
  let name: string;
  if (parts.length === 3) [namespace, kind, name] = [parts[0], kindOf(parts[1]!), parts[2]!];
  else if (parts.length === 2 && KIND_ALIASES[parts[0]!.toLowerCase()])
    [kind, name] = [kindOf(parts[0]!), parts[1]!];
  else if (parts.length === 2) [namespace, name] = [parts[0], parts[1]!];
  else name = parts[0]!;
  for (const [what, value] of [
    ['namespace', namespace],
    ['name', name],
  ] as const)
    if (value !== undefined && !NAME.test(value))
      throw new Error(`${what} ${JSON.stringify(value)} is not a valid Kubernetes name`);
  if (namespace && flags.namespace && namespace !== flags.namespace)
    throw new Error(`target ${argument} names namespace ${namespace} but -n says ${flags.namespace}`);
  if (namespace && flags.allNamespaces) throw new Error(`target ${argument} names a namespace: drop -A`);
  return {
    ...(flags.allNamespaces
      ? { allNamespaces: true }
      : { namespace: namespace ?? flags.namespace ?? contextNamespace }),
    ...(kind ? { kind } : {}),
    name,
    ...(flags.selector !== undefined ? { selector: flags.selector } : {}),
  };
}

function kindOf(text: string): NonNullable<ScanTarget['kind']> {
  const kind = KIND_ALIASES[text.toLowerCase()];
  if (!kind)
    throw new Error(
      `unknown kind ${JSON.stringify(text)}: use one of deployment, statefulset, daemonset, job, cronjob, pod, replicaset`,
    );
  return kind;
}
