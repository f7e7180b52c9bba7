#!/bin/sh
# binding.gyp asks: can the eBPF sensor's loader be built here, for the compiler's target? Prints 1 when
# libbpf's headers and a libbpf for that target are installed, else 0 (the addon is then built without it,
# and the runtime watcher uses the process-events connector). A cross build (CC=aarch64-linux-gnu-gcc) finds
# them in SECO_LIBBPF_SYSROOT: Debian's libbpf-dev/libbpf1/libelf1/zlib1g for the target, extracted
# there (tools/release/image/proc-connector-addon.ts does it); without it a cross build answers 0.
if [ -n "${SECO_LIBBPF_SYSROOT:-}" ]; then
  triplet=$(${CC:-cc} -dumpmachine 2>/dev/null)
  if [ -f "$SECO_LIBBPF_SYSROOT/usr/include/bpf/libbpf.h" ] && [ -e "$SECO_LIBBPF_SYSROOT/usr/lib/$triplet/libbpf.so" ]; then
    echo 1
  else
    echo 0
  fi
  exit 0
fi
lib=$(${CC:-cc} -print-file-name=libbpf.so 2>/dev/null)
if [ -f /usr/include/bpf/libbpf.h ] && [ "$lib" != "libbpf.so" ] && [ -e "$lib" ]; then echo 1; else echo 0; fi
