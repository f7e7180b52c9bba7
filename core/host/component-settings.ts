import { parse } from 'yaml';
import { parseEnvFile, parseFlags, splitCommandLine } from './command-flags.js';
import { findProcesses } from './host-processes.js';
import type { HostRoot } from './host-root.js';

/** How a node component (kubelet, kube-proxy) is configured: its flags and its config file. */
export interface ComponentSettings {
  /** Where the flags came from: the running process, its systemd unit, or nowhere (not installed). */
  source: 'process' | 'systemd' | 'none';
  flags: ReadonlyMap<string, string>;
  /** Unit and drop-in files that define the service, as host paths. */
  serviceFiles: string[];
  configPath?: string;
  config?: Record<string, unknown>;
  /** Set when the config file exists but could not be read as YAML. */
  configError?: string;
}

export interface ComponentSpec {
  binary: string;
  unitNames: string[];
  booleanFlags: ReadonlySet<string>;
  /** Config file used when no `--config` flag names one, if the component has a conventional one. */
  defaultConfigPath?: string;
}

const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
];

export async function readComponentSettings(
  host: HostRoot,
  procRoot: string,
  spec: ComponentSpec,
): Promise<ComponentSettings> {
  const serviceFiles = await findServiceFiles(host, spec.unitNames);
  const [process] = await findProcesses(procRoot, spec.binary);
  let source: ComponentSettings['source'] = 'none';
  let args: string[] = [];
  if (process) {
    source = 'process';
    args = process.argv.slice(1);
  } else if (serviceFiles.length > 0) {
    const fromUnit = await commandFromUnits(host, serviceFiles);
    if (fromUnit) {
      source = 'systemd';
      args = fromUnit.slice(1);
    }
  }
  const flags = parseFlags(args, spec.booleanFlags);
  const configPath = flags.get('config') || spec.defaultConfigPath;
  return { source, flags, serviceFiles, ...(await readConfig(host, configPath)) };
}

async function findServiceFiles(host: HostRoot, unitNames: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const dir of UNIT_DIRS) {
    for (const unit of unitNames) {
      const path = `${dir}/${unit}`;
      if (await host.resolve(path)) files.push(path);
      for (const name of await host.list(`${path}.d`))
        if (name.endsWith('.conf')) files.push(`${path}.d/${name}`);
    }
  }
  return files;
}

/** The last `ExecStart=` of the unit and its drop-ins, with `Environment=` and `EnvironmentFile=` expanded. */
async function commandFromUnits(host: HostRoot, files: readonly string[]): Promise<string[] | undefined> {
  const env = new Map<string, string>();
  let exec: string | undefined;
  for (const file of files) {
    const text = await host.readText(file);
    for (const line of joinContinuations(text ?? '')) {
      const [key, ...rest] = line.split('=');
      const value = rest.join('=').trim();
      if (key === 'ExecStart') exec = value === '' ? undefined : value;
      else if (key === 'Environment')
        for (const [k, v] of parseEnvFile(splitCommandLine(value, new Map()).join('\n'))) env.set(k, v);
      else if (key === 'EnvironmentFile') {
        const envText = await host.readText(value.replace(/^-/, ''));
        for (const [k, v] of parseEnvFile(envText ?? '')) env.set(k, v);
      }
    }
  }
  return exec === undefined ? undefined : splitCommandLine(exec.replace(/^[-@+!:]+/, ''), env);
}

function joinContinuations(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
}

async function readConfig(
  host: HostRoot,
  configPath: string | undefined,
): Promise<Pick<ComponentSettings, 'configPath' | 'config' | 'configError'>> {
  if (!configPath) return {};
  const text = await host.readText(configPath);
  if (text === undefined) return {};
  try {
    const value: unknown = parse(text, { maxAliasCount: 100 });
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { configPath, config: value as Record<string, unknown> };
    }
    return { configPath, configError: `${configPath}: not a YAML mapping` };
  } catch (error) {
    return {
      configPath,
      configError: `${configPath}: invalid YAML: ${(error as Error).message.split('\n')[0]}`,
    };
  }
}
