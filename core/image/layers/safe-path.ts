/**
 * A tar entry's path inside the image, normalised: no leading `/` or `./`, `..` resolved; `''` for the
 * root itself. Undefined when it would climb out of the image root (a hostile layer), so the caller
 * can skip it and say so.
 */
export function imagePath(raw: string): string | undefined {
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
