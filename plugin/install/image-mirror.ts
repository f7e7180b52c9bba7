import { formatReference, parseReference } from '../../core/image/source/reference.js';

// distribution/reference grammar: a path component, and a registry host with an optional port.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::\d{1,5})?$/;
/** As Docker decides: the first part names a registry only with a `.` or `:`, or as `localhost`. */
const looksLikeHost = (part: string) => part.includes('.') || part.includes(':') || part === 'localhost';

/** `HOST[/PREFIX]` of `--image-registry`, checked: a registry host (a `.`, a port or localhost), then path components. */
export function parseMirror(text: string): { host: string; prefix: string } {
  const bad = (why: string) => new Error(`--image-registry ${JSON.stringify(text)}: ${why}`);
  const trimmed = text.replace(/\/+$/, '');
  const [host = '', ...path] = trimmed.split('/');
  if (/^[a-z]+:\/\//i.test(text)) throw bad('give HOST[/PREFIX], without a scheme');
  if (!HOST.test(host) || !looksLikeHost(host))
    throw bad('must start with a registry host (a name with a dot, a :port, or localhost)');
  for (const component of path)
    if (!COMPONENT.test(component))
      throw bad(`${JSON.stringify(component)} is not a repository path component`);
  return { host, prefix: path.join('/') };
}

/**
 * The image as pulled from the mirror: the mirror's host and prefix, then the image's repository path
 * as it is on its own registry (`docker.io/library/nats:2.10.24-alpine` → `HOST/PREFIX/library/nats:…`),
 * which is the layout `skopeo sync` and registry mirrors keep.
 */
export function mirrorImage(image: string, mirror: string): string {
  const { host, prefix } = parseMirror(mirror);
  const ref = parseReference(image);
  return formatReference({
    ...ref,
    registry: host,
    repository: prefix ? `${prefix}/${ref.repository}` : ref.repository,
  });
}
