import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface BuiltImage {
  dir: string;
  layout: string;
  ociArchive: string;
  dockerArchive: string;
  /** The dpkg admin dir of the image's first layer, for dpkg-query ground truth. */
  dpkgAdminDir: string;
  remove(): void;
}

function need(tool: string): void {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed: the image tests need it (apt-get install -y umoci skopeo)`);
  }
}

// A Spring-Boot-style jar: its own pom.properties plus a nested library jar, built with Python's zipfile
// (the script is a constant; the output path is passed as an argument).
const MAKE_JAR = `
import io, sys, zipfile
inner = io.BytesIO()
with zipfile.ZipFile(inner, 'w') as z:
    z.writestr('META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', 'groupId=org.apache.logging.log4j\\nartifactId=log4j-core\\nversion=2.14.1\\n')
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('META-INF/maven/com.example/app/pom.properties', 'version=1.0.0\\ngroupId=com.example\\nartifactId=app\\n')
    z.writestr('BOOT-INF/lib/log4j-core-2.14.1.jar', inner.getvalue())
`;

function makeJar(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('python3', ['-c', MAKE_JAR, path]);
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/**
 * Builds a real OCI image with umoci: layer 1 holds Debian's os-release, this machine's real dpkg
 * status database, two npm packages and a Python distribution; layer 2 deletes one npm package (a
 * whiteout). Also writes it as an OCI archive (tar) and, with skopeo, as a docker-archive.
 */
export function buildTestImage(): BuiltImage {
  for (const tool of ['umoci', 'skopeo', 'tar']) need(tool);
  const dir = mkdtempSync(join(tmpdir(), 'seco-image-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', `${layout}:test`]);
  run('umoci', ['unpack', '--image', `${layout}:test`, bundle]);
  const rootfs = join(bundle, 'rootfs');
  write(
    rootfs,
    'etc/os-release',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
  );
  mkdirSync(join(rootfs, 'var/lib/dpkg'), { recursive: true });
  copyFileSync('/var/lib/dpkg/status', join(rootfs, 'var/lib/dpkg/status'));
  write(
    rootfs,
    'app/node_modules/lodash/package.json',
    JSON.stringify({ name: 'lodash', version: '4.17.20' }),
  );
  write(
    rootfs,
    'app/node_modules/@scope/tool/package.json',
    JSON.stringify({ name: '@scope/tool', version: '1.2.3' }),
  );
  write(
    rootfs,
    'app/node_modules/left-pad/package.json',
    JSON.stringify({ name: 'left-pad', version: '1.3.0' }),
  );
  write(
    rootfs,
    'usr/lib/python3/dist-packages/requests-2.25.0.dist-info/METADATA',
    'Metadata-Version: 2.1\nName: requests\nVersion: 2.25.0\n\nbody\n',
  );
  write(
    rootfs,
    'usr/local/bundle/specifications/rack-2.2.3.gemspec',
    '# stub: rack 2.2.3 ruby lib\nGem::Specification.new do |s|\n  s.name = "rack".freeze\n  s.version = "2.2.3"\nend\n',
  );
  makeJar(join(rootfs, 'opt/app/app.jar'));
  // A real Go binary as Debian built it (runc is installed for the runtime tests).
  mkdirSync(join(rootfs, 'usr/sbin'), { recursive: true });
  copyFileSync('/usr/sbin/runc', join(rootfs, 'usr/sbin/runc'));
  write(
    rootfs,
    'srv/.env',
    'DATABASE_URL=postgres://app:hunter22@db/app\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n',
  );
  run('umoci', ['repack', '--image', `${layout}:test`, bundle]);
  rmSync(join(rootfs, 'app/node_modules/left-pad'), { recursive: true });
  run('umoci', ['repack', '--image', `${layout}:test`, bundle]);
  const ociArchive = join(dir, 'image.oci.tar');
  run('tar', ['-cf', ociArchive, '-C', layout, '.']);
  const dockerArchive = join(dir, 'image.docker.tar');
  run('skopeo', [
    'copy',
    '--quiet',
    `oci:${layout}:test`,
    `docker-archive:${dockerArchive}:seco/test:latest`,
  ]);
  return {
    dir,
    layout,
    ociArchive,
    dockerArchive,
    dpkgAdminDir: join(rootfs, 'var/lib/dpkg'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
