'use strict';
// Loads the compiled addon if `npm install` could build it (scripts/build-native.mjs); otherwise
// exports scan: null, pinned: null and the reason: Steward then uses its JavaScript walker and its
// /proc/self/fd implementation of the descriptor-relative calls.
let addon = null;
let loadError = null;
try {
  addon = require('./build/Release/steward_scan.node');
} catch (err) {
  loadError = err && err.code === 'MODULE_NOT_FOUND' ? 'not built (npm install could not compile it; see scripts/build-native.mjs)' : String(err && err.message ? err.message : err);
}
const pinned = addon
  ? { openBeneath: addon.openBeneath, statAt: addon.statAt, fstatFd: addon.fstatFd, unlinkAt: addon.unlinkAt, linkAt: addon.linkAt, renameAt: addon.renameAt, mkdirAt: addon.mkdirAt, lockFd: addon.lockFd }
  : null;
module.exports = { scan: addon ? addon.scan : null, pinned, loadError };
