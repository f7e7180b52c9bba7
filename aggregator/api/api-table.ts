/**
 * metav1.Table (kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables):
 * what `kubectl get` prints, column definitions and one row of cells per object; each row carries the
 * object's metadata (includeObject=Metadata, the default) so `-A` can show the namespace.
 */
export interface TableColumn<T> {
  name: string;
  type: 'string' | 'integer' | 'date';
  description: string;
  cell: (item: T) => string | number;
  priority?: number;
}

export function toTable<T extends { metadata: Record<string, unknown> }>(
  columns: TableColumn<T>[],
  items: T[],
  resourceVersion = '',
): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.name === 'Name' ? 'name' : '',
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: items.map((item) => ({
      cells: columns.map((c) => c.cell(item)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: item.metadata },
    })),
  };
}

/** kubectl's Age column: 5s, 3m, 2h, 4d. */
export function age(timestamp: unknown, now = Date.now()): string {
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (!Number.isFinite(at)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
