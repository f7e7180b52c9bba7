// Loads the eBPF sensor's loader addon and names its compiled object. Either may be missing (no libbpf or
// no clang at build time, another OS): that is reported to the caller, not thrown at import.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const objectPath = process.env.SECO_BPF_OBJECT || join(__dirname, 'bpf-build', 'sensor.bpf.o');
try {
  module.exports = {
    ...require('./build/Release/ebpf_sensor.node'),
    objectPath,
    objectBuilt: existsSync(objectPath),
  };
} catch (error) {
  module.exports = {
    loadError: String(error?.message ?? error),
    objectPath,
    objectBuilt: existsSync(objectPath),
  };
}
