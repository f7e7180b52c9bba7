import type { ImageConfig } from './image-source.js';

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses an image config blob (image-spec config.md) keeping only fields of the right type: a hostile
 * config with `"User": 0` or `"Env": "x"` loses that field instead of breaking a later reader.
 */
export function parseImageConfig(bytes: Buffer, what: string): ImageConfig {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
  if (!isObject(body)) throw new Error(`${what} is not a JSON object`);
  const config: ImageConfig = {};
  if (typeof body.architecture === 'string') config.architecture = body.architecture;
  if (typeof body.os === 'string') config.os = body.os;
  if (isObject(body.config)) {
    const c = body.config;
    const inner: NonNullable<ImageConfig['config']> = {};
    if (typeof c.User === 'string') inner.User = c.User;
    for (const key of ['Env', 'Entrypoint', 'Cmd'] as const) {
      const list = strings(c[key]);
      if (list) inner[key] = list;
    }
    if (isObject(c.ExposedPorts)) inner.ExposedPorts = c.ExposedPorts;
    config.config = inner;
  }
  if (isObject(body.rootfs)) {
    const diffIds = strings(body.rootfs.diff_ids);
    config.rootfs = {
      ...(typeof body.rootfs.type === 'string' ? { type: body.rootfs.type } : {}),
      ...(diffIds ? { diff_ids: diffIds } : {}),
    };
  }
  return config;
}
