import type { HostCheck } from '../host-check.js';
import { settingCheck } from './setting-check.js';

export const KUBE_PROXY_CHECKS: readonly HostCheck[] = [
  settingCheck({
    id: 'kube-proxy-metrics-bind-address',
    cis: '4.3.1',
    title: 'kube-proxy metrics are served beyond localhost',
    severity: 'medium',
    description:
      'kube-proxy metrics are unauthenticated; bound to a routable address they tell anyone about the node.',
    remediation: 'Set metricsBindAddress to 127.0.0.1:10249 (the default) or remove non-localhost values.',
    component: 'proxy',
    setting: {
      flag: 'metrics-bind-address',
      configPath: ['metricsBindAddress'],
      flagDefault: '127.0.0.1:10249',
      configDefault: '127.0.0.1:10249',
    },
    passes: (v) => v === undefined || v === '' || /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(v),
  }),
];
