/**
 * A package URL (github.com/package-url/purl-spec): `pkg:type/namespace/name@version?qualifiers#subpath`,
 * each segment percent-encoded; a namespace may hold several `/`-separated segments (SwiftURL hosts and paths).
 */
export function purlOf(
  type: string,
  name: string,
  version: string,
  options: { namespace?: string; subpath?: string } = {},
): string {
  const segments = [...(options.namespace ? options.namespace.split('/') : []), name].map(encodeURIComponent);
  const subpath = options.subpath ? `#${options.subpath.split('/').map(encodeURIComponent).join('/')}` : '';
  return `pkg:${type}/${segments.join('/')}@${encodeURIComponent(version)}${subpath}`;
}
