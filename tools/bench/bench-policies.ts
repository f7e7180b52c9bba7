/**
 * Twenty ValidatingAdmissionPolicies of the kinds teams write (labels, registries, tags, replicas,
 * security context, resources, probes, Services), for the policy row of bench:config.
 */
const DEPLOYMENTS = `resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments, statefulsets, daemonsets]}]`;
const PODS = `resourceRules: [{apiGroups: ["", apps, batch], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods, deployments, statefulsets, daemonsets, jobs]}]`;
const SERVICES = `resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [services]}]`;
const CONTAINERS = `object.kind == 'Pod' ? object.spec.containers : object.spec.template.spec.containers`;

const POLICIES: Array<[name: string, rules: string, expression: string, variables?: string]> = [
  ['require-team-label', DEPLOYMENTS, `'team' in object.metadata.?labels.orValue({})`],
  ['require-app-label', DEPLOYMENTS, `has(object.metadata.labels) && 'app' in object.metadata.labels`],
  ['replicas-at-most-20', DEPLOYMENTS, `object.spec.?replicas.orValue(1) <= 20`],
  ['images-from-registry', PODS, `variables.containers.all(c, c.image.startsWith('registry.example.com/'))`],
  ['no-latest-tag', PODS, `variables.containers.all(c, !c.image.endsWith(':latest'))`],
  ['images-by-digest', PODS, `variables.containers.all(c, c.image.contains('@sha256:'))`],
  ['run-as-non-root', PODS, `variables.containers.all(c, c.?securityContext.?runAsNonRoot.orValue(false))`],
  ['no-privileged', PODS, `variables.containers.all(c, !c.?securityContext.?privileged.orValue(false))`],
  [
    'no-privilege-escalation',
    PODS,
    `variables.containers.all(c, c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false)`,
  ],
  [
    'read-only-root',
    PODS,
    `variables.containers.all(c, c.?securityContext.?readOnlyRootFilesystem.orValue(false))`,
  ],
  [
    'drop-all-capabilities',
    PODS,
    `variables.containers.all(c, 'ALL' in c.?securityContext.?capabilities.?drop.orValue([]))`,
  ],
  ['memory-limits', PODS, `variables.containers.all(c, 'memory' in c.?resources.?limits.orValue({}))`],
  [
    'memory-limit-at-most-2Gi',
    PODS,
    `variables.containers.all(c, !('memory' in c.?resources.?limits.orValue({})) || !quantity(c.resources.limits.memory).isGreaterThan(quantity('2Gi')))`,
  ],
  ['cpu-requests', PODS, `variables.containers.all(c, 'cpu' in c.?resources.?requests.orValue({}))`],
  ['liveness-probes', PODS, `variables.containers.all(c, has(c.livenessProbe))`],
  ['readiness-probes', PODS, `variables.containers.all(c, has(c.readinessProbe))`],
  [
    'no-host-network',
    PODS,
    `!(object.kind == 'Pod' ? object.spec : object.spec.template.spec).?hostNetwork.orValue(false)`,
  ],
  [
    'no-host-path',
    PODS,
    `(object.kind == 'Pod' ? object.spec : object.spec.template.spec).?volumes.orValue([]).all(v, !has(v.hostPath))`,
  ],
  ['no-load-balancers', SERVICES, `object.spec.?type.orValue('ClusterIP') != 'LoadBalancer'`],
  [
    'service-ports-named',
    SERVICES,
    `object.spec.?ports.orValue([]).all(p, has(p.name) && format.dns1123Label().validate(p.name).hasValue() == false)`,
  ],
];

/** The policies as one multi-document YAML file. */
export function benchPolicies(): string {
  return POLICIES.map(
    ([name, rules, expression]) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ${name}}
spec:
  matchConstraints:
    ${rules}
  variables:
    - name: containers
      expression: "${CONTAINERS.replace(/"/g, '\\"')}"
  validations:
    - expression: "${expression.replace(/"/g, '\\"')}"
`,
  ).join('---\n');
}

export const BENCH_POLICY_COUNT = POLICIES.length;
