#!/bin/sh
# binding.gyp asks: can the eBPF sensor's loader be built here, for the compiler's target? Prints 1 when
# libbpf's headers and a libbpf for that target are installed, else 0 (the addon is then built without it,
# and the runtime watcher uses the process-events connector). A cross build (CC=aarch64-linux-gnu-gcc)
# without libbpf-dev for that architecture answers 0.
lib=$(${CC:-cc} -print-file-name=libbpf.so 2>/dev/null)
if [ -f /usr/include/bpf/libbpf.h ] && [ "$lib" != "libbpf.so" ] && [ -e "$lib" ]; then echo 1; else echo 0; fi
