import type { ComponentSettings } from './component-settings.js';

/** A setting that can be given as a flag or in the component's config file. */
export interface SettingSpec {
  flag: string;
  configPath: readonly string[];
  /** The value when neither sets it and the component runs on flags alone. */
  flagDefault?: string;
  /** The value when a config file is used but does not set it (KubeletConfiguration v1beta1 defaults). */
  configDefault?: string;
}

export interface EffectiveSetting {
  value: string | undefined;
  origin: 'flag' | 'config' | 'default';
}

/** The value in force: a flag overrides the config file, which overrides the defaults (kubelet semantics). */
export function effectiveSetting(settings: ComponentSettings, spec: SettingSpec): EffectiveSetting {
  const fromFlag = settings.flags.get(spec.flag);
  if (fromFlag !== undefined) return { value: fromFlag, origin: 'flag' };
  const fromConfig = settings.config ? valueAt(settings.config, spec.configPath) : undefined;
  if (fromConfig !== undefined) return { value: fromConfig, origin: 'config' };
  return { value: settings.config ? spec.configDefault : spec.flagDefault, origin: 'default' };
}

export function describeSetting(spec: SettingSpec, setting: EffectiveSetting): string {
  const name = setting.origin === 'flag' ? `--${spec.flag}` : spec.configPath.join('.');
  const value = setting.value === undefined ? 'unset' : JSON.stringify(setting.value);
  return `${name} is ${value}${setting.origin === 'default' ? ' (default)' : ` (from ${setting.origin === 'flag' ? 'command line' : 'config file'})`}`;
}

function valueAt(config: Record<string, unknown>, path: readonly string[]): string | undefined {
  let node: unknown = config;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined || node === null) return undefined;
  if (Array.isArray(node)) return node.map(String).join(',');
  return typeof node === 'object' ? JSON.stringify(node) : String(node);
}
