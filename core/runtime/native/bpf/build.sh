#!/bin/sh
# Builds the eBPF sensor object (bpf-build/sensor.bpf.o) when clang, bpftool and libbpf's headers are here.
# Optional by design: without them the addon still builds and the watcher falls back to the connector.
# vmlinux.h comes from the build machine's BTF; CO-RE relocates field offsets to the running kernel.
# SECO_BPF_ARCH (x86 | arm64) cross-builds; SECO_VMLINUX_BTF points at another BTF file.
set -eu
cd "$(dirname "$0")/.."
arch="${SECO_BPF_ARCH:-}"
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64) arch=x86 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "seco eBPF sensor: unsupported architecture $(uname -m); skipped" >&2; exit 0 ;;
  esac
fi
btf="${SECO_VMLINUX_BTF:-/sys/kernel/btf/vmlinux}"
for tool in clang bpftool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "seco eBPF sensor: $tool not found; skipped (the runtime watcher uses the process-events connector)" >&2
    exit 0
  fi
done
if [ ! -f /usr/include/bpf/bpf_helpers.h ] || [ ! -r "$btf" ]; then
  echo "seco eBPF sensor: libbpf headers or $btf missing; skipped" >&2
  exit 0
fi
mkdir -p bpf-build
bpftool btf dump file "$btf" format c > bpf-build/vmlinux.h
clang -O2 -g "-fdebug-prefix-map=$(pwd)=." -Wall -target bpf "-D__TARGET_ARCH_$arch" -Ibpf-build -Ibpf -c bpf/sensor.bpf.c -o bpf-build/sensor.bpf.o.tmp
mv bpf-build/sensor.bpf.o.tmp bpf-build/sensor.bpf.o
echo "seco eBPF sensor: built bpf-build/sensor.bpf.o ($arch)" >&2
