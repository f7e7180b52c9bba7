/** A platform the image is built for, and what each tool calls it. */
export interface ImagePlatform {
  /** OCI `os/architecture` */
  name: 'linux/amd64' | 'linux/arm64';
  architecture: 'amd64' | 'arm64';
  /** npm's node-linux-<arch> package suffix, and node-gyp's --arch */
  nodeArch: 'x64' | 'arm64';
  /** Debian's architecture name */
  debianArch: 'amd64' | 'arm64';
  /** Debian's multiarch library directory */
  triplet: 'x86_64-linux-gnu' | 'aarch64-linux-gnu';
  /** C compiler for the runtime addon (cross for arm64: Debian's gcc-aarch64-linux-gnu) */
  cc: string;
  cxx: string;
}

export const PLATFORMS: Readonly<Record<ImagePlatform['name'], ImagePlatform>> = {
  'linux/amd64': {
    name: 'linux/amd64',
    architecture: 'amd64',
    nodeArch: 'x64',
    debianArch: 'amd64',
    triplet: 'x86_64-linux-gnu',
    cc: 'gcc',
    cxx: 'g++',
  },
  'linux/arm64': {
    name: 'linux/arm64',
    architecture: 'arm64',
    nodeArch: 'arm64',
    debianArch: 'arm64',
    triplet: 'aarch64-linux-gnu',
    cc: 'aarch64-linux-gnu-gcc',
    cxx: 'aarch64-linux-gnu-g++',
  },
};

/** `linux/amd64,linux/arm64` → platforms; an unknown name is an error naming it. */
export function parsePlatforms(values: readonly string[]): ImagePlatform[] {
  const names = [
    ...new Set(
      values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new Error('no platform requested');
  return names.map((n) => {
    if (!Object.hasOwn(PLATFORMS, n))
      throw new Error(`unknown platform ${JSON.stringify(n)} (known: ${Object.keys(PLATFORMS).join(', ')})`);
    return PLATFORMS[n as ImagePlatform['name']];
  });
}
