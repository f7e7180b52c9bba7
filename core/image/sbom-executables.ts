import type { ExecutableList } from './layers/executables.js';

/** BOM metadata property names (CycloneDX 1.5 §metadata.properties, the format's extension point). */
const EXECUTABLES_PROPERTY = 'seco:executables';
const EXECUTABLES_CAPPED_PROPERTY = 'seco:executables-capped';

type Property = { name: string; value: string };

/**
 * The executable list as BOM properties. One property holding a JSON array of paths rather than one
 * property per path (~60 bytes of `{"name":…}` each) or newline-separated paths (a tar path may contain
 * a newline): unambiguous, and only ~3 bytes per path over the paths themselves. A capped list says so,
 * so a reader does not take its gaps for drift.
 */
export function executablesProperties(list: ExecutableList): Property[] {
  return [
    { name: EXECUTABLES_PROPERTY, value: JSON.stringify(list.paths) },
    ...(list.capped ? [{ name: EXECUTABLES_CAPPED_PROPERTY, value: 'true' }] : []),
  ];
}

/** The list back from BOM properties; undefined when the BOM has none (written before they were recorded). */
export function executablesFromProperties(
  properties: readonly Property[],
  where: string,
): ExecutableList | undefined {
  const value = properties.find((p) => p.name === EXECUTABLES_PROPERTY)?.value;
  if (value === undefined) return undefined;
  let paths: unknown;
  try {
    paths = JSON.parse(value);
  } catch {
    paths = undefined;
  }
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string'))
    throw new Error(`${where}: malformed ${EXECUTABLES_PROPERTY} property`);
  return { paths, capped: properties.some((p) => p.name === EXECUTABLES_CAPPED_PROPERTY) };
}
