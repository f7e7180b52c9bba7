import yauzl from 'yauzl';
import type { Analyzer, ImagePackage } from '../package.js';

const ARCHIVE = /\.(jar|war|ear)$/i;
const MAX_NESTING = 3;
const MAX_ENTRIES = 100_000;
const MAX_ENTRY_BYTES = 1024 * 1024;

/** `META-INF/maven/<group>/<artifact>/pom.properties` names a Maven artifact inside a jar. */
function fromPomProperties(text: string, path: string): ImagePackage | undefined {
  const field = (key: string) => new RegExp(`^${key}\\s*[=:]\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();
  const groupId = field('groupId');
  const artifactId = field('artifactId');
  const version = field('version');
  if (!groupId || !artifactId || !version) return undefined;
  return {
    ecosystem: 'Maven',
    name: `${groupId}:${artifactId}`,
    version,
    purl: `pkg:maven/${encodeURIComponent(groupId)}/${encodeURIComponent(artifactId)}@${encodeURIComponent(version)}`,
    path,
  };
}

function openZip(content: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(content, { lazyEntries: true, strictFileNames: false }, (err, zip) =>
      err || !zip ? reject(err ?? new Error('bad zip')) : resolve(zip),
    ),
  );
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('unreadable entry'));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) stream.destroy(new Error('entry too large'));
        else chunks.push(c);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    }),
  );
}

/** Maven artifacts in a jar and in the jars nested in it (Spring Boot's BOOT-INF/lib, wars' WEB-INF/lib). */
export async function javaPackages(content: Buffer, path: string, depth = 0): Promise<ImagePackage[]> {
  const found: ImagePackage[] = [];
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(content);
  } catch {
    return found; // not a readable archive: nothing to report from it
  }
  await new Promise<void>((resolve) => {
    let count = 0;
    zip.on('entry', async (entry: yauzl.Entry) => {
      try {
        if (++count > MAX_ENTRIES) return zip.close();
        if (
          /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.fileName) &&
          entry.uncompressedSize < MAX_ENTRY_BYTES
        ) {
          const pkg = fromPomProperties(
            (await readEntry(zip, entry, MAX_ENTRY_BYTES)).toString('utf8'),
            path,
          );
          if (pkg) found.push(pkg);
        } else if (
          ARCHIVE.test(entry.fileName) &&
          depth < MAX_NESTING &&
          entry.uncompressedSize < 256 * 1024 * 1024
        ) {
          found.push(
            ...(await javaPackages(
              await readEntry(zip, entry, 256 * 1024 * 1024),
              `${path}!/${entry.fileName}`,
              depth + 1,
            )),
          );
        }
      } catch {
        // one unreadable entry does not hide the rest of the archive
      }
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('close', resolve);
    zip.on('error', () => resolve());
    zip.readEntry();
  });
  return found;
}

/** Java archives (zip central directories need the whole file, so jars are buffered up to the walker's cap). */
export const javaAnalyzer: Analyzer = {
  name: 'java',
  wants: (path) => ARCHIVE.test(path),
  analyze: (file) => javaPackages(file.content, file.path),
};
