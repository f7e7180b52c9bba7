#!/bin/sh
# Compiler (`cflags`) or linker (`libs`) flags for the eBPF sensor's loader (binding.gyp): the system's
# libbpf, or the target's from SECO_LIBBPF_SYSROOT in a cross build (have-loader.sh). In the sysroot only
# libbpf is linked by name; its own dependencies (libelf, zlib) are found through -rpath-link.
set -eu
what="$1"
if [ -z "${SECO_LIBBPF_SYSROOT:-}" ]; then
  [ "$what" = libs ] && echo "-lbpf -lelf -lz"
  exit 0
fi
root="$SECO_LIBBPF_SYSROOT"
triplet=$(${CC:-cc} -dumpmachine)
case "$what" in
  cflags) echo "-I$root/usr/include" ;;
  libs) echo "-L$root/usr/lib/$triplet -Wl,-rpath-link,$root/usr/lib/$triplet -Wl,-rpath-link,$root/lib/$triplet -lbpf" ;;
esac
