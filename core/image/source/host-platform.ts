import type { Platform } from './image-source.js';

// Node's process.arch names → the OCI image-spec's GOARCH names (image-index `platform.architecture`).
const ARCHITECTURES: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
};

/**
 * The platform of the machine this process runs on. The agent runs on the node whose pods it scans, so
 * from a multi-platform image it picks what that node's kubelet pulled.
 */
export function hostPlatform(arch: string = process.arch): Platform {
  return ARCHITECTURES[arch] ?? { os: 'linux', architecture: arch };
}
