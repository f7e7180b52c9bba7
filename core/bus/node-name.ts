/** A node whose queue is addressed: Kubernetes node names are DNS subdomains (RFC 1123), at most 253 chars. */
export function checkNode(node: string): string {
  if (typeof node !== 'string' || node.length === 0 || node.length > 253 || /[\s\p{Cc}]/u.test(node))
    throw new Error(`invalid node name ${JSON.stringify(node)}: 1 to 253 characters, no spaces or controls`);
  return node;
}

/** The inverse of protocol's subjectToken: `~2e` back to `.`. */
export function nodeFromToken(token: string): string {
  return token.replace(/~([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
