/** An image reference split the way the container runtime reads it: `[registry/]repo[:tag][@digest]`. */
export interface ImageParts {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageParts {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  return {
    repository: colon > slash ? named.slice(0, colon) : named,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
  };
}
