/** No leading `/` or `./`, no backslash, no empty, `.` or `..` segment (a trailing `/` allowed). */
const CLEAN = /^(?!\.{1,2}(\/|$))[^/\\]+(\/(?!\.{1,2}(\/|$))[^/\\]+)*\/?$/;

/**
 * A tar entry's path inside the image, normalised: no leading `/` or `./`, `..` resolved; `''` for the
 * root itself. Undefined when it would climb out of the image root (a hostile layer), so the caller
 * can skip it and say so.
 */
export function imagePath(raw: string): string | undefined {
  // Most names are already clean (`usr/bin/x`, a directory's `usr/bin/`): no split and join for them.
  if (CLEAN.test(raw)) return raw.endsWith('/') ? raw.slice(0, -1) : raw;
  const parts: string[] = [];
  for (const part of raw.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join('/');
}
