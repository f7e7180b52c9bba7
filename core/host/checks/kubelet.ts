import type { HostCheck } from '../host-check.js';
import { effectiveSetting } from '../kubelet-setting.js';
import { durationSeconds, settingCheck } from './setting-check.js';

const restart = 'Then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).';

// Strong TLS suites per CIS Kubernetes Benchmark 4.2.12: AEAD ciphers with forward secrecy, plus the two RSA-GCM ones.
const STRONG_CIPHERS = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_128_GCM_SHA256',
]);

export const KUBELET_CHECKS: readonly HostCheck[] = [
  settingCheck({
    id: 'kubelet-anonymous-auth',
    cis: '4.2.1',
    title: 'Kubelet allows anonymous requests',
    severity: 'critical',
    description:
      'With anonymous authentication on, anyone who reaches the kubelet port (10250) is served as system:anonymous; with a permissive authorization mode that is remote code execution in every pod on the node.',
    remediation: `Set authentication.anonymous.enabled: false in the kubelet config file (or --anonymous-auth=false). ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'anonymous-auth',
      configPath: ['authentication', 'anonymous', 'enabled'],
      flagDefault: 'true',
      configDefault: 'false',
    },
    passes: (v) => v === 'false',
  }),
  settingCheck({
    id: 'kubelet-authorization-mode',
    cis: '4.2.2',
    title: 'Kubelet authorizes every request (AlwaysAllow)',
    severity: 'critical',
    description: 'AlwaysAllow lets any authenticated caller use every kubelet API, including exec into pods.',
    remediation: `Set authorization.mode: Webhook in the kubelet config file (or --authorization-mode=Webhook). ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'authorization-mode',
      configPath: ['authorization', 'mode'],
      flagDefault: 'AlwaysAllow',
      configDefault: 'Webhook',
    },
    passes: (v) => v !== undefined && !v.split(',').includes('AlwaysAllow'),
  }),
  settingCheck({
    id: 'kubelet-client-ca-file',
    cis: '4.2.3',
    title: 'Kubelet does not verify client certificates (no client CA file)',
    severity: 'high',
    description:
      'Without a client CA the kubelet cannot authenticate the API server and other clients by certificate.',
    remediation: `Set authentication.x509.clientCAFile to the cluster CA (or --client-ca-file). ${restart}`,
    component: 'kubelet',
    setting: { flag: 'client-ca-file', configPath: ['authentication', 'x509', 'clientCAFile'] },
    passes: (v) => v !== undefined && v !== '',
  }),
  settingCheck({
    id: 'kubelet-read-only-port',
    cis: '4.2.4',
    title: 'Kubelet serves its unauthenticated read-only port',
    severity: 'high',
    description: 'The read-only port (10255) serves pod specs and metrics with no authentication at all.',
    remediation: `Set readOnlyPort: 0 in the kubelet config file (or --read-only-port=0). ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'read-only-port',
      configPath: ['readOnlyPort'],
      flagDefault: '10255',
      configDefault: '0',
    },
    passes: (v) => v === '0',
  }),
  settingCheck({
    id: 'kubelet-streaming-idle-timeout',
    cis: '4.2.5',
    title: 'Kubelet streaming connections never time out',
    severity: 'medium',
    description:
      'A zero idle timeout keeps exec/attach/port-forward streams open forever, inviting resource exhaustion.',
    remediation: `Set streamingConnectionIdleTimeout to a non-zero duration such as 5m. ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'streaming-connection-idle-timeout',
      configPath: ['streamingConnectionIdleTimeout'],
      flagDefault: '4h0m0s',
      configDefault: '4h0m0s',
    },
    passes: (v) => v !== undefined && durationSeconds(v) !== 0,
  }),
  settingCheck({
    id: 'kubelet-iptables-util-chains',
    cis: '4.2.6',
    title: 'Kubelet does not manage its iptables chains',
    severity: 'low',
    description:
      'Letting the kubelet manage iptables keeps pod networking rules consistent with its view of the node.',
    remediation: `Remove makeIPTablesUtilChains: false (the default is true). ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'make-iptables-util-chains',
      configPath: ['makeIPTablesUtilChains'],
      flagDefault: 'true',
      configDefault: 'true',
    },
    passes: (v) => v === 'true',
  }),
  settingCheck({
    id: 'kubelet-hostname-override',
    cis: '4.2.7',
    title: 'Kubelet overrides its hostname',
    severity: 'low',
    description: 'An overridden hostname can break TLS verification between kubelet and API server.',
    remediation: `Remove --hostname-override from the kubelet's arguments. ${restart}`,
    component: 'kubelet',
    setting: { flag: 'hostname-override', configPath: [] },
    passes: (_v, s) => s.origin !== 'flag',
  }),
  settingCheck({
    id: 'kubelet-tls-cert',
    cis: '4.2.9',
    title: 'Kubelet has no serving certificate configured',
    severity: 'medium',
    description:
      'Without tlsCertFile/tlsPrivateKeyFile (or serverTLSBootstrap) the kubelet serves a self-signed certificate nobody can verify.',
    remediation: `Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true. ${restart}`,
    component: 'kubelet',
    setting: { flag: 'tls-cert-file', configPath: ['tlsCertFile'] },
    passes: (v, _s, all) =>
      (v !== undefined && v !== '') ||
      effectiveSetting(all, { flag: 'server-tls-bootstrap', configPath: ['serverTLSBootstrap'] }).value ===
        'true',
  }),
  settingCheck({
    id: 'kubelet-rotate-certificates',
    cis: '4.2.10',
    title: 'Kubelet client certificate rotation is turned off',
    severity: 'medium',
    description:
      'Without rotation the kubelet keeps using its client certificate until it expires, and a stolen one stays valid.',
    remediation: `Set rotateCertificates: true (or remove --rotate-certificates=false). ${restart}`,
    component: 'kubelet',
    setting: { flag: 'rotate-certificates', configPath: ['rotateCertificates'] },
    passes: (v) => v !== 'false',
  }),
  settingCheck({
    id: 'kubelet-rotate-server-certificates',
    cis: '4.2.11',
    title: 'Kubelet serving certificate rotation is turned off',
    severity: 'medium',
    description: 'The RotateKubeletServerCertificate feature gate must not be disabled.',
    remediation: `Remove RotateKubeletServerCertificate=false from featureGates / --feature-gates. ${restart}`,
    component: 'kubelet',
    setting: { flag: 'feature-gates', configPath: ['featureGates'] },
    passes: (v) => !v || !/"?RotateKubeletServerCertificate"?\s*[:=]\s*false/.test(v),
  }),
  settingCheck({
    id: 'kubelet-tls-cipher-suites',
    cis: '4.2.12',
    title: 'Kubelet TLS cipher suites are not restricted to strong ones',
    severity: 'medium',
    description:
      'Only AEAD cipher suites should be offered; unset, the kubelet accepts Go defaults that include CBC suites.',
    remediation: `Set tlsCipherSuites to a subset of: ${[...STRONG_CIPHERS].join(', ')}. ${restart}`,
    component: 'kubelet',
    setting: { flag: 'tls-cipher-suites', configPath: ['tlsCipherSuites'] },
    passes: (v) => v !== undefined && v !== '' && v.split(',').every((c) => STRONG_CIPHERS.has(c.trim())),
  }),
  settingCheck({
    id: 'kubelet-pod-pids-limit',
    cis: '4.2.13',
    title: 'No limit on the number of processes in a pod',
    severity: 'low',
    description: 'Without podPidsLimit one pod can fork-bomb the node and starve every other pod.',
    remediation: `Set podPidsLimit (or --pod-max-pids) to a positive number suited to the workloads. ${restart}`,
    component: 'kubelet',
    setting: { flag: 'pod-max-pids', configPath: ['podPidsLimit'] },
    passes: (v) => v !== undefined && Number(v) > 0,
  }),
  settingCheck({
    id: 'kubelet-protect-kernel-defaults',
    cis: '4.2.6 (v1.7)',
    title: 'Kubelet may change kernel settings it disagrees with',
    severity: 'low',
    description:
      'protectKernelDefaults makes the kubelet fail rather than silently change kernel tunables (CIS Kubernetes Benchmark v1.7 4.2.6).',
    remediation: `Set protectKernelDefaults: true and the kernel parameters the kubelet expects. ${restart}`,
    component: 'kubelet',
    setting: {
      flag: 'protect-kernel-defaults',
      configPath: ['protectKernelDefaults'],
      flagDefault: 'false',
      configDefault: 'false',
    },
    passes: (v) => v === 'true',
  }),
];

export const KUBELET_BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'anonymous-auth',
  'make-iptables-util-chains',
  'rotate-certificates',
  'protect-kernel-defaults',
  'serialize-image-pulls',
  'fail-swap-on',
]);
