/**
 * What the layers above the one being read hide from it (OCI image-spec layer.md, "Whiteouts"), for
 * walking layers top-down: a lower entry is part of the final filesystem only if no upper layer
 * deleted it (`.wh.<name>`), emptied a directory above it (`.wh..wh..opq`), or put any entry at its
 * path, or a non-directory at one of its parent paths.
 */
export class UpperLayers {
  private readonly deleted = new Set<string>();
  private readonly opaque = new Set<string>();
  /** Paths an upper layer has an entry at: true for a non-directory (it also hides what is below it). */
  private readonly present = new Map<string, boolean>();

  /** Whether a lower layer's entry at `path` is visible (directories merge, so they never hide each other). */
  visible(path: string, isDirectory: boolean): boolean {
    // Nothing above (the top layer, or a layer read in a worker as if alone): no lookups per parent.
    if (this.present.size === 0 && this.deleted.size === 0 && this.opaque.size === 0) return true;
    if (this.deleted.has(path)) return false;
    const own = this.present.get(path);
    if (own !== undefined && (own || !isDirectory)) return false;
    for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      const parent = path.slice(0, slash);
      if (this.deleted.has(parent) || this.opaque.has(parent) || this.present.get(parent) === true)
        return false;
    }
    return !this.opaque.has('');
  }

  /** Adds one layer's changes once it is fully read: they apply to the layers below only. */
  add(layer: { deleted: Iterable<string>; opaque: Iterable<string>; entries: Map<string, boolean> }): void {
    for (const path of layer.deleted) this.deleted.add(path);
    for (const path of layer.opaque) this.opaque.add(path);
    for (const [path, nonDirectory] of layer.entries)
      if (!this.present.get(path)) this.present.set(path, nonDirectory);
  }
}
