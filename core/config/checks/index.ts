import type { ConfigCheck } from '../check.js';
import { configMapSecret } from './configmap-secret.js';
import { containerRuntimeSocketMounted } from './container-runtime-socket-mounted.js';
import { defaultNamespace } from './default-namespace.js';
import { envLiteralSecret } from './env-literal-secret.js';
import { imageDigestMissing } from './image-digest-missing.js';
import { imagePullPolicy } from './image-pull-policy.js';
import { imageTagLatest } from './image-tag-latest.js';
import { imageTagMissing } from './image-tag-missing.js';
import { istioMtlsNotStrict } from './istio-mtls-not-strict.js';
import { networkPolicyMissing } from './network-policy-missing.js';
import { PROBE_CHECKS } from './probes.js';
import { rbacClusterAdminBinding } from './rbac-cluster-admin-binding.js';
import { rbacEscalationVerbs } from './rbac-escalation-verbs.js';
import { rbacNodesProxy } from './rbac-nodes-proxy.js';
import { rbacPodsExec } from './rbac-pods-exec.js';
import { rbacPublicBinding } from './rbac-public-binding.js';
import { rbacSecretsRead } from './rbac-secrets-read.js';
import { rbacWildcard } from './rbac-wildcard.js';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.js';
import { RESOURCE_CHECKS } from './resources.js';
import { secretEnvVar } from './secret-env-var.js';
import { serviceAccountTokenAutomount } from './service-account-token-automount.js';
import { serviceExposed } from './service-exposed.js';

/** Hardening checks beyond the Pod Security Standards (NSA/CISA guide, CIS benchmark, RBAC good practices). */
export const HARDENING_CHECKS: readonly ConfigCheck[] = [
  containerRuntimeSocketMounted,
  ...RESOURCE_CHECKS,
  readOnlyRootFilesystem,
  serviceAccountTokenAutomount,
  imageTagMissing,
  imageTagLatest,
  imageDigestMissing,
  imagePullPolicy,
  ...PROBE_CHECKS,
  envLiteralSecret,
  secretEnvVar,
  configMapSecret,
  defaultNamespace,
  serviceExposed,
  networkPolicyMissing,
  istioMtlsNotStrict,
  rbacWildcard,
  rbacSecretsRead,
  rbacPodsExec,
  rbacNodesProxy,
  rbacEscalationVerbs,
  rbacClusterAdminBinding,
  rbacPublicBinding,
];
