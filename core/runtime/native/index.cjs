// Loads the built addon; a missing build (no compiler, non-Linux) is reported to the caller, not thrown at import.
'use strict';
try {
  module.exports = require('./build/Release/proc_connector.node');
} catch (error) {
  module.exports = { loadError: String(error?.message ?? error) };
}
