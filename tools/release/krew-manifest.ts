import { parse, stringify } from 'yaml';

export interface PlatformBuild {
  os: string;
  arch: string;
  /** the executable's name in the archive (`kubectl-seco.exe` on Windows) */
  bin: string;
  uri: string;
  sha256: string;
}

export interface ManifestInput {
  /** package.json version, without the v */
  version: string;
  homepage: string;
  platforms: PlatformBuild[];
}

const fill = (text: string, values: Record<string, string>): string =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);

/**
 * Fills krew/seco.yaml.tmpl: the top-level {{version}} and {{homepage}}, then the template's one
 * platform entry once per platform built. Throws if a {{field}} is left unfilled.
 */
export function renderKrewManifest(template: string, input: ManifestInput): string {
  const doc = parse(fill(template, { version: `v${input.version}`, homepage: input.homepage })) as {
    spec: { platforms: unknown[] };
  };
  const [pattern] = doc.spec.platforms;
  if (!pattern) throw new Error('krew manifest template: spec.platforms needs one entry to repeat');
  const patternText = JSON.stringify(pattern);
  doc.spec.platforms = input.platforms.map(
    (p) =>
      JSON.parse(
        fill(patternText, { os: p.os, arch: p.arch, bin: p.bin, uri: p.uri, sha256: p.sha256 }),
      ) as unknown,
  );
  const out = stringify(doc, { lineWidth: 0 });
  const left = out.match(/\{\{\w+\}\}/);
  if (left) throw new Error(`krew manifest template: ${left[0]} left unfilled`);
  return out;
}
