import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  parseManifestDocuments,
  parseManifests,
  splitDocuments,
} from '../../../../core/config/input/parse-manifests.js';

const fixture = (name: string) => {
  const path = `test/fixtures/config/input/${name}`;
  return { name: path, text: readFileSync(path, 'utf8') };
};

describe('parseManifests', () => {
  it('reads every document of a multi-document file and expands List items', () => {
    const { objects, problems } = parseManifests(fixture('multi.yaml'));
    expect(problems).toEqual([]);
    expect(objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`)).toEqual([
      'Namespace/shop',
      'Pod/web',
      'Service/web',
      'ConfigMap/settings',
    ]);
  });

  it('knows the line each object starts on, List items included', () => {
    const { objects } = parseManifests(fixture('multi.yaml'));
    expect(objects.map((o) => o.line)).toEqual([1, 8, 23, 30]);
  });

  it('locates a field, and a missing field at its nearest existing parent', () => {
    const pod = parseManifests(fixture('multi.yaml')).objects[1]!;
    expect(pod.locate(['spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(18);
    expect(pod.locate(['spec', 'containers', 0, 'image'])).toBe(16);
    expect(pod.locate(['spec', 'containers', 0, 'resources', 'limits'])).toBe(15);
  });

  it('reports an unparsable document with its file and line and keeps the others', () => {
    const { objects, problems } = parseManifests(fixture('broken.yaml'));
    expect(objects.map((o) => o.object.metadata?.name)).toEqual(['good-before-error', 'good-after-error']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ source: 'test/fixtures/config/input/broken.yaml' });
    expect(problems[0]!.line).toBeGreaterThanOrEqual(11);
    expect(problems[0]!.line).toBeLessThanOrEqual(13);
    expect(problems[0]!.message).toMatch(/invalid YAML/);
  });

  it('reads JSON manifests with line numbers', () => {
    const { objects } = parseManifests(fixture('pod.json'));
    expect(objects).toHaveLength(1);
    expect(objects[0]!.locate(['spec', 'containers', 0, 'image'])).toBe(7);
  });

  it('refuses documents that are not objects with a kind', () => {
    const { objects, problems } = parseManifests({ name: 'x.yaml', text: '- a\n- b\n---\nfoo: bar\n' });
    expect(objects).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      'not a Kubernetes object (expected a mapping)',
      'not a Kubernetes object: no "kind"',
    ]);
    expect(problems[1]!.line).toBe(4);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const text = `kind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join('\n')}\n`;
    const { objects, problems } = parseManifests({ name: 'bomb.yaml', text });
    expect(objects).toEqual([]);
    expect(problems[0]!.message).toMatch(/alias/i);
  });

  it('rejects duplicate keys, which kubectl would resolve differently from other tools', () => {
    const { problems } = parseManifests({ name: 'dup.yaml', text: 'kind: Pod\nkind: Service\n' });
    expect(problems[0]).toMatchObject({ source: 'dup.yaml', line: 2 });
  });
});

/** The line-array splitter splitDocuments replaced (same parts, a string per line): the reference. */
function splitByLines(text: string): Array<{ text: string; firstLine: number }> {
  const lines = text.split('\n');
  const parts: Array<{ text: string; firstLine: number }> = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[i]!)) continue;
    if (i > start) parts.push({ text: lines.slice(start, i).join('\n'), firstLine: start });
    if (i < lines.length && lines[i]!.startsWith('---') && lines[i]!.slice(3).trim() !== '') {
      lines[i] = `   ${lines[i]!.slice(3)}`;
      start = i;
    } else {
      start = i + 1;
    }
  }
  return parts;
}

describe('splitDocuments', () => {
  it('splits on marker lines only, keeping a `--- {…}` line’s content with its marker blanked', () => {
    expect(splitDocuments('a: 1\n---\nb: 2\n--- {c: 3}\n...\n----\n...x\n')).toEqual([
      { text: 'a: 1', firstLine: 0 },
      { text: 'b: 2', firstLine: 2 },
      { text: '    {c: 3}', firstLine: 3 },
      { text: '----\n...x\n', firstLine: 5 },
    ]);
  });

  it('gives the same parts as splitting into lines did, on random marker-heavy texts', () => {
    const pieces = [
      '---',
      '...',
      '--- {a: 1}',
      '---\t',
      '... x',
      '----',
      ' ---',
      'a: 1',
      '',
      '\r',
      ' ',
      '---\r',
      '-- -',
    ];
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let n = 0; n < 2000; n++) {
      const count = next() % 9;
      const lines = Array.from({ length: count }, () => pieces[next() % pieces.length]!);
      const text = lines.join(next() % 2 ? '\n' : '\r\n') + (next() % 2 ? '\n' : '');
      expect({ text, parts: splitDocuments(text) }).toEqual({ text, parts: splitByLines(text) });
    }
  });
});

describe('parseManifestDocuments', () => {
  it('hands over each document on its own, with what parseManifests finds for the whole file', () => {
    for (const name of ['multi.yaml', 'broken.yaml']) {
      const source = fixture(name);
      const documents = [...parseManifestDocuments(source)];
      const whole = parseManifests(source);
      expect(documents.flatMap((d) => d.objects.map((o) => [o.object, o.line]))).toEqual(
        whole.objects.map((o) => [o.object, o.line]),
      );
      expect(documents.flatMap((d) => d.problems)).toEqual(whole.problems);
    }
  });

  it('keeps a broken document to itself: the documents after it are still read', () => {
    const source = { name: 'two.yaml', text: 'kind: [\n---\nkind: Pod\nmetadata:\n  name: web\n' };
    const [broken, pod] = [...parseManifestDocuments(source)];
    expect(broken?.objects).toEqual([]);
    expect(broken?.problems).toHaveLength(1);
    expect(pod?.objects.map((o) => [o.object.metadata?.name, o.line])).toEqual([['web', 3]]);
  });
});
