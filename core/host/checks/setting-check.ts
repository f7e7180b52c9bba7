import type { Severity } from '../../model/index.js';
import type { ComponentSettings } from '../component-settings.js';
import { CIS_BENCHMARK_URL, type HostCheck, type HostFacts } from '../host-check.js';
import {
  describeSetting,
  type EffectiveSetting,
  effectiveSetting,
  type SettingSpec,
} from '../kubelet-setting.js';

export interface SettingCheckDefinition {
  id: string;
  cis: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  component: 'kubelet' | 'proxy';
  setting: SettingSpec;
  passes(value: string | undefined, setting: EffectiveSetting, all: ComponentSettings): boolean;
}

/** A check of one flag/config setting of a node component; not applicable where the component is absent. */
export function settingCheck(def: SettingCheckDefinition): HostCheck {
  return {
    id: def.id,
    cis: def.cis,
    title: def.title,
    severity: def.severity,
    description: def.description,
    remediation: def.remediation,
    references: [{ kind: 'cis', id: def.cis, url: CIS_BENCHMARK_URL }],
    async evaluate(facts: HostFacts) {
      const settings = def.component === 'kubelet' ? facts.kubelet : facts.proxy;
      const name = def.component === 'kubelet' ? 'kubelet' : 'kube-proxy';
      if (settings.source === 'none' && !settings.config) {
        return {
          status: 'not-applicable',
          evidence: `${name} is not running and has no service or config file here`,
        };
      }
      if (settings.configError)
        return { status: 'fail', evidence: settings.configError, file: settings.configPath };
      const setting = effectiveSetting(settings, def.setting);
      return {
        status: def.passes(setting.value, setting, settings) ? 'pass' : 'fail',
        evidence: describeSetting(def.setting, setting),
        ...(setting.origin === 'config' ? { file: settings.configPath } : {}),
      };
    },
  };
}

/** Go duration strings ("0", "0s", "4h0m0s", "5m") to seconds; undefined when not a duration. */
export function durationSeconds(value: string): number | undefined {
  if (/^0+$/.test(value)) return 0;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}
