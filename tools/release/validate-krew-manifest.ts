import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { parse } from 'yaml';

/**
 * The rules krew applies to a plugin manifest (sigs.k8s.io/krew pkg/index/validation: ValidatePlugin,
 * validatePlatform, validateSelector), the checks `kubectl krew install` makes when it lays the
 * archive out (bin and file operations must stay inside the install directory, every `from` must
 * match something, bin must exist afterwards), and two krew-index conventions (no overlapping
 * platforms, shortDescription of at most 50 characters). Re-implemented here, not copied.
 */
const API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';
const SHORT_DESCRIPTION_MAX = 50;
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;
const SHA256 = /^[a-f0-9]{64}$/;
// Go's blang/semver (strict, as krew parses it), behind krew's mandatory leading "v".
const SEMVER =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const WINDOWS_RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...Array.from({ length: 9 }, (_, i) => `com${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `lpt${i + 1}`),
]);

export interface ValidateOptions {
  /** the name the plugin must have (krew: the manifest's file name without .yaml) */
  expectedName?: string;
  /** the files of the archive (relative, / separated): enables the install-layout checks */
  archiveEntries?: string[];
  /**
   * the archive's file name: when given, the install-layout checks apply only to the platforms whose
   * uri names it (each platform has its own archive, with its own `bin`)
   */
  archiveName?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function isSafePluginName(name: string): boolean {
  return SAFE_NAME.test(name) && !WINDOWS_RESERVED.has(name.toLowerCase());
}

/** A relative path that stays inside the directory it is joined to (no absolute path, no escaping ..). */
function staysInside(path: string): boolean {
  if (path === '' || path.includes('\\') || path.includes('\0')) return false;
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path)) return false;
  const normal = posix.normalize(path);
  return normal !== '..' && !normal.startsWith('../');
}

/** Validates a parsed manifest; returns the problems found (empty: valid). */
export function validateKrewManifest(manifest: unknown, o: ValidateOptions = {}): string[] {
  const errors: string[] = [];
  if (!isObj(manifest)) return ['manifest is not a YAML mapping'];
  if (manifest.apiVersion !== API_VERSION)
    errors.push(`apiVersion=${JSON.stringify(manifest.apiVersion)} is not supported (want ${API_VERSION})`);
  if (manifest.kind !== 'Plugin')
    errors.push(`kind=${JSON.stringify(manifest.kind)}, only "Plugin" is supported`);
  const name = str(isObj(manifest.metadata) ? manifest.metadata.name : undefined);
  if (!isSafePluginName(name))
    errors.push(`plugin name ${JSON.stringify(name)} is not allowed, must match ${SAFE_NAME}`);
  if (o.expectedName !== undefined && name !== o.expectedName)
    errors.push(`plugin should be named ${JSON.stringify(o.expectedName)}, not ${JSON.stringify(name)}`);
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  const shortDescription = str(spec.shortDescription);
  if (shortDescription === '') errors.push('should have a short description');
  else if (shortDescription.length > SHORT_DESCRIPTION_MAX)
    errors.push(
      `shortDescription is ${shortDescription.length} characters, at most ${SHORT_DESCRIPTION_MAX}`,
    );
  const version = str(spec.version);
  if (version === '') errors.push('should have a version specified');
  else if (!SEMVER.test(version))
    errors.push(`version ${JSON.stringify(version)} is not semver with a leading "v"`);
  const platforms = Array.isArray(spec.platforms) ? spec.platforms : [];
  if (platforms.length === 0) errors.push('should have a platform specified');
  const seen = new Map<string, number>();
  platforms.forEach((p, i) => {
    const entries =
      o.archiveName === undefined || (isObj(p) && str(p.uri).endsWith(`/${o.archiveName}`))
        ? o.archiveEntries
        : undefined;
    for (const e of validatePlatform(p, entries)) errors.push(`platform[${i}]: ${e}`);
    const labels =
      isObj(p) && isObj(p.selector) && isObj(p.selector.matchLabels) ? p.selector.matchLabels : undefined;
    if (labels) {
      const key = `${str(labels.os) || '*'}/${str(labels.arch) || '*'}`;
      const other = seen.get(key);
      if (other !== undefined) errors.push(`platform[${i}]: selector ${key} overlaps platform[${other}]`);
      else seen.set(key, i);
    }
  });
  return errors;
}

function validatePlatform(p: unknown, archiveEntries: string[] | undefined): string[] {
  if (!isObj(p)) return ['is not a mapping'];
  const errors: string[] = [];
  const uri = str(p.uri);
  if (uri === '') errors.push('URI has to be set');
  else if (!URL.canParse(uri)) errors.push(`URI ${JSON.stringify(uri)} is not a URL`);
  const sha256 = str(p.sha256);
  if (sha256 === '') errors.push('sha256 sum has to be set');
  else if (!SHA256.test(sha256)) errors.push(`sha256 value ${sha256} is not valid, must match ${SHA256}`);
  const bin = str(p.bin);
  if (bin === '') errors.push('bin has to be set');
  else if (!staysInside(bin)) errors.push(`bin ${JSON.stringify(bin)} points outside the plugin's directory`);
  const files = Array.isArray(p.files) ? p.files : [];
  if (files.length === 0) errors.push("can't have a plugin without specifying file operations");
  for (const [i, f] of files.entries()) {
    const from = isObj(f) ? str(f.from) : '';
    const to = isObj(f) ? str(f.to) : '';
    if (!staysInside(from))
      errors.push(`files[${i}].from ${JSON.stringify(from)} is not a path inside the archive`);
    if (!staysInside(to))
      errors.push(`files[${i}].to ${JSON.stringify(to)} points outside the plugin's directory`);
  }
  for (const error of validateSelector(p.selector)) errors.push(error);
  if (archiveEntries && errors.length === 0)
    for (const error of checkInstallLayout(files as Obj[], bin, archiveEntries)) errors.push(error);
  return errors;
}

function validateSelector(sel: unknown): string[] {
  if (sel === undefined || sel === null) return ['nil selector is not supported'];
  if (!isObj(sel)) return ['selector is not a mapping'];
  const { matchLabels, matchExpressions } = sel;
  if (matchLabels === undefined && (!Array.isArray(matchExpressions) || matchExpressions.length === 0))
    return ['empty selector is not supported'];
  const errors: string[] = [];
  const keys = [
    ...(isObj(matchLabels) ? Object.keys(matchLabels) : []),
    ...(Array.isArray(matchExpressions)
      ? matchExpressions.map((e) => str(isObj(e) ? e.key : undefined))
      : []),
  ];
  for (const key of keys)
    if (key !== 'os' && key !== 'arch') errors.push(`selector key ${JSON.stringify(key)} not supported`);
  if (matchLabels !== undefined && (!isObj(matchLabels) || Object.keys(matchLabels).length === 0))
    errors.push('matchLabels specified but empty');
  if (matchExpressions !== undefined && (!Array.isArray(matchExpressions) || matchExpressions.length === 0))
    errors.push('matchExpressions specified but empty');
  return errors;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/**
 * Where krew would put the archive's files: each `from` glob is matched against the archive's
 * paths (a match on a directory takes its whole tree) and what matched lands under `to`.
 */
export function installedFiles(
  files: Obj[],
  entries: string[],
): { installed: Set<string>; errors: string[] } {
  const installed = new Set<string>();
  const errors: string[] = [];
  for (const [i, f] of files.entries()) {
    const from = posix.normalize(str(f.from));
    const to = posix.normalize(str(f.to));
    const re = globToRegExp(from);
    const depth = from.split('/').length;
    let matched = false;
    for (const entry of entries) {
      const parts = entry.split('/');
      if (parts.length < depth || !re.test(parts.slice(0, depth).join('/'))) continue;
      matched = true;
      installed.add(posix.normalize(posix.join(to, ...parts.slice(depth - 1))));
    }
    if (!matched) errors.push(`files[${i}].from ${JSON.stringify(from)} matches nothing in the archive`);
  }
  return { installed, errors };
}

function checkInstallLayout(files: Obj[], bin: string, entries: string[]): string[] {
  const { installed, errors } = installedFiles(files, entries);
  if (!installed.has(posix.normalize(bin)))
    errors.push(`bin ${JSON.stringify(bin)} is not in the installed files`);
  return errors;
}

/** The files of a .tar.gz (regular files only, / separated, no leading ./). */
export async function archiveEntries(archive: Buffer): Promise<string[]> {
  const extract = tar.extract();
  const names: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      if (header.type === 'file') names.push(posix.normalize(header.name));
      stream.on('end', next);
      stream.resume();
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  Readable.from([gunzipSync(archive)]).pipe(extract);
  await done;
  return names;
}

/** Validates a manifest file and, if given, the archive it points at (its sha256 and its layout). */
export async function validateKrewManifestFile(
  manifestPath: string,
  archivePath?: string,
): Promise<string[]> {
  const manifest = parse(await readFile(manifestPath, 'utf8')) as unknown;
  const expectedName = basename(manifestPath).replace(/\.ya?ml$/, '');
  if (!archivePath) return validateKrewManifest(manifest, { expectedName });
  const archive = await readFile(archivePath);
  const errors = validateKrewManifest(manifest, {
    expectedName,
    archiveEntries: await archiveEntries(archive),
    archiveName: basename(archivePath),
  });
  const sha256 = createHash('sha256').update(archive).digest('hex');
  const spec = isObj(manifest) && isObj(manifest.spec) ? manifest.spec : {};
  const mine = (Array.isArray(spec.platforms) ? spec.platforms : []).filter(
    (p) => isObj(p) && str(p.uri).endsWith(`/${basename(archivePath)}`),
  ) as Obj[];
  if (mine.length === 0) errors.push(`no platform's uri names ${basename(archivePath)}`);
  for (const p of mine)
    if (p.sha256 !== sha256)
      errors.push(`sha256 of ${basename(archivePath)} is ${sha256}, the manifest says ${str(p.sha256)}`);
  return errors;
}

async function main(argv: string[]): Promise<void> {
  const [manifest, ...rest] = argv;
  if (!manifest) {
    console.error('usage: validate-krew-manifest <plugin.yaml> [archive.tar.gz ...]');
    process.exit(2);
  }
  const archives = rest.length > 0 ? rest : [undefined];
  let failed = false;
  for (const archive of archives) {
    const errors = await validateKrewManifestFile(manifest, archive);
    for (const e of errors) console.error(`${manifest}${archive ? ` (${basename(archive)})` : ''}: ${e}`);
    failed ||= errors.length > 0;
  }
  if (failed) process.exit(1);
  console.log(
    `${manifest}: valid krew manifest${rest.length ? `, archives match (${rest.map((a) => basename(a)).join(', ')})` : ''}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
