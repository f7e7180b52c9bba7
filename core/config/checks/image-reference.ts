/** An image reference split the way the container runtime reads it: `[registry/]repo[:tag][@digest]`. */
export interface ImageParts {
  repository: string;
  tag?: string;
  digest?: string;
}

// OCI image-spec descriptor digest grammar: algorithm ":" encoded.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

// A scan reads each container's image in five places (the API defaults and four image checks), and
// a large input names the same few hundred images over and over: parts are kept per image text, in a
// table emptied when it grows past PARSED_LIMIT so hostile input cannot make it grow without bound.
const PARSED_LIMIT = 4096;
const parsed = new Map<string, Readonly<ImageParts>>();

/** The parts of an image reference; the object is shared between calls, so it is frozen. */
export function parseImage(image: string): Readonly<ImageParts> {
  let parts = parsed.get(image);
  if (parts === undefined) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parts = Object.freeze(splitImage(image));
    parsed.set(image, parts);
  }
  return parts;
}

function splitImage(image: string): ImageParts {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  return {
    repository: colon > slash ? named.slice(0, colon) : named,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest && DIGEST.test(digest) ? { digest } : {}),
  };
}

/** The container's image when it is a usable string (init/ephemeral containers included). */
export const imageOf = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
