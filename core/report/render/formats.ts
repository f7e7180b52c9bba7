// The output format names alone: the scan commands' `--output` flag lists them at every start
// (`--help` included) without evaluating the renderers, which import yaml and picocolors.
// render/index.ts checks that every name has its renderer.

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'sarif'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
