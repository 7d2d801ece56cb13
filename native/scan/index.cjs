'use strict';
// Loads the compiled addon if `npm install` could build it (scripts/build-native.mjs); otherwise
// exports scan: null and the reason, and Steward uses its JavaScript walker.
let addon = null;
let loadError = null;
try {
  addon = require('./build/Release/steward_scan.node');
} catch (err) {
  loadError = err && err.code === 'MODULE_NOT_FOUND' ? 'not built (npm install could not compile it; see scripts/build-native.mjs)' : String(err && err.message ? err.message : err);
}
module.exports = { scan: addon ? addon.scan : null, loadError };
