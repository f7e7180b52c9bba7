import type { ServerResponse } from 'node:http';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { sendObject } from './api-status.js';
import { type TableColumn, toTable } from './api-table.js';
import type { WatchLog } from './watch-log.js';
import { serveWatch } from './watch-response.js';

type ApiObject = { metadata: { name: string; namespace?: string; resourceVersion: string } };

export interface CollectionSource<T, O extends ApiObject> {
  kind: string;
  columns: TableColumn<O>[];
  log: WatchLog<T>;
  /** What there is now, before the caller's view (rendered one by one). */
  current: () => Promise<T[]>;
  /** The object the caller gets for an entry; undefined when it is not theirs to see or not selected. */
  render: (entry: T) => Promise<O | undefined>;
}

/**
 * A seco.dev collection as `kubectl get` and `kubectl get -w` read it: a list (a `<Kind>List`, or a
 * metav1.Table) whose resourceVersion is taken before it is read — a watch from it then gets every change
 * made meanwhile — and the watch of the same objects from the change log (watch-response.ts).
 */
export function collection<T, O extends ApiObject>(source: CollectionSource<T, O>) {
  return {
    async list(response: ServerResponse, table: boolean): Promise<void> {
      const version = String(source.log.current());
      const items: O[] = [];
      for (const entry of await source.current()) {
        const object = await source.render(entry);
        if (object) items.push(object);
      }
      sendObject(
        response,
        200,
        table
          ? toTable(source.columns, items, version)
          : {
              kind: `${source.kind}List`,
              apiVersion: `${SECO_API_GROUP}/${SECO_API_VERSION}`,
              metadata: { resourceVersion: version },
              items,
            },
      );
    },
    watch(response: ServerResponse, url: URL, table: boolean): Promise<void> {
      return serveWatch(response, {
        kind: source.kind,
        url,
        log: source.log,
        current: source.current,
        render: source.render,
        ...(table
          ? { table: (object: O, version: string) => toTable(source.columns, [object], version) }
          : {}),
      });
    },
  };
}
