import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

/** A YAML file from a layer, parsed; the error names the file, and alias expansion is bounded ("billion laughs"). */
export function parseYamlFile(file: { path: string; content: Buffer }): unknown {
  try {
    return parseYaml(file.content.toString('utf8'), { maxAliasCount: 100 });
  } catch (error) {
    throw new Error(`${file.path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** A TOML file from a layer, parsed; the error names the file. */
export function parseTomlFile(file: { path: string; content: Buffer }): Record<string, unknown> {
  try {
    return parseToml(file.content.toString('utf8'));
  } catch (error) {
    throw new Error(`${file.path} is not valid TOML: ${(error as Error).message.split('\n')[0]}`);
  }
}
