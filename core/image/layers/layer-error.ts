/** Library messages made plain: which kind of damage, in the reader's words. */
export function describeLayerError(error: Error): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(error.message))
    return `truncated compressed stream (${error.message})`;
  if (code.startsWith('Z_')) return `corrupt compressed data (${error.message})`;
  if (/Unexpected end of data/i.test(error.message)) return `truncated tar stream (${error.message})`;
  if (/Invalid tar header/i.test(error.message)) return `malformed tar header (${error.message})`;
  return error.message;
}
