// The one place that turns Node's system error codes (libuv's errno names, see `man 3 errno` and
// https://nodejs.org/api/errors.html#common-system-errors) into words a person reads. The code stays in
// parentheses so it can still be searched for.

const MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EBUSY: 'resource busy',
  EIO: 'input/output error',
  ECONNREFUSED: 'connection refused, nothing listens there',
  ECONNRESET: 'connection reset by the other side',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found in DNS',
  EAI_AGAIN: 'host name lookup failed for now in DNS, try again',
  EPIPE: 'the other side closed the connection',
  EADDRINUSE: 'address already in use',
  CERT_HAS_EXPIRED: "the server's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "a self-signed certificate in the server's chain is not trusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's certificate does not name this host",
};

/** `no such file or directory (ENOENT)` for a code we know, the code itself for one we do not. */
export function describeErrorCode(code: string): string {
  const meaning = MEANING[code];
  return meaning ? `${meaning} (${code})` : code;
}

/**
 * A system error in words: its code's meaning when it has a code we know, else its message with any
 * raw code in it (`connect ECONNREFUSED 127.0.0.1:1`) spelled out.
 */
export function systemErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && MEANING[code]) {
    // Node's own messages repeat the code and the syscall: `ENOENT: no such file or directory, open '/x'`.
    return describeErrorCode(code);
  }
  return spellOutCodes(message);
}

/**
 * Replaces the raw codes inside a message with their meaning: `connect ECONNREFUSED 127.0.0.1:1` becomes
 * `connection refused, nothing listens there (ECONNREFUSED) at 127.0.0.1:1`.
 */
export function spellOutCodes(message: string): string {
  return (
    message
      // Node's fs messages: `ENOENT: no such file or directory, open '/x'`.
      .replace(/\b([A-Z][A-Z0-9_]{3,}): [^,']*, \w+ '([^']*)'/g, (all, code: string, path: string) =>
        MEANING[code] ? `${describeErrorCode(code)}: ${path}` : all,
      )
      // A code said already, `(ENOENT)`, is left as it is.
      .replace(
        /(?:\b(?:connect|getaddrinfo|read|write|open|stat|lstat|scandir) )?(?<!\()\b([A-Z][A-Z0-9_]{3,})\b(?!\))(?: (?!\()([^\s,;]+))?/g,
        (all, code: string, where: string | undefined) =>
          MEANING[code] ? `${describeErrorCode(code)}${where ? ` at ${where}` : ''}` : all,
      )
  );
}
