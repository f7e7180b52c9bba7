import { parseManifests } from '../config/input/parse-manifests.js';
import { readSources } from '../config/input/read-sources.js';
import type { KubeView, ListOptions } from './kube-view.js';
import { ObjectIndex } from './object-lookup.js';
import type { KubeObject } from './types.js';

/**
 * A read-only cluster made of YAML files (`--kube-from DIR`): every object in the directory, as if the
 * API server returned it. Files are read once; problems (unparsable files) are kept for the caller.
 */
export class DirectoryKubeView implements KubeView {
  private readonly index: ObjectIndex;

  private constructor(
    objects: readonly KubeObject[],
    readonly problems: ReadonlyArray<{ source: string; line?: number; message: string }>,
  ) {
    this.index = new ObjectIndex(objects);
  }

  static async load(dir: string): Promise<DirectoryKubeView> {
    const read = await readSources([dir], async () => Buffer.alloc(0));
    const objects: KubeObject[] = [];
    const problems = [...read.problems];
    for (const source of read.sources) {
      const parsed = parseManifests(source);
      for (const o of parsed.objects) objects.push(o.object);
      for (const problem of parsed.problems) problems.push(problem);
    }
    return new DirectoryKubeView(objects, problems);
  }

  async list(kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    return this.index.list(kind, options);
  }

  async get(kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return this.index.find(kind, namespace, name);
  }
}
