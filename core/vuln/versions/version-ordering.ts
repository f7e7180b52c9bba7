/** How one ecosystem orders its versions. `compare` returns <0, 0, >0; it never throws. */
export interface VersionOrdering {
  /** The base OSV ecosystem names it serves (`Debian`, `Ubuntu`, …). */
  ecosystems: readonly string[];
  isValid(version: string): boolean;
  compare(a: string, b: string): number;
}
