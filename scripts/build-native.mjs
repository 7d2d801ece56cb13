#!/usr/bin/env node
// Builds the optional native scanner (native/scan) with node-gyp, using npm's own copy of
// node-gyp and the Node headers npm is configured with (npm_config_nodedir). Never fails the
// install: without a compiler or headers Steward runs its JavaScript walker instead (slower, same
// results), and this prints why. STEWARD_SKIP_NATIVE=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'native', 'scan');
if (process.env.STEWARD_SKIP_NATIVE === '1') {
  console.log('native scanner: skipped (STEWARD_SKIP_NATIVE=1); using the JavaScript walker');
  process.exit(0);
}
const candidates = [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) {
  console.warn('native scanner: node-gyp not found; using the JavaScript walker');
  process.exit(0);
}
// Headers: npm's configured nodedir, else the running Node's own prefix (Debian's and the official
// tarballs ship include/node). Never let node-gyp download them: installs must work offline.
const prefix = path.join(path.dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined);
if (!nodedir) {
  console.warn('native scanner: Node headers not found (set npm_config_nodedir); using the JavaScript walker');
  process.exit(0);
}
const r = spawnSync(process.execPath, [candidates[0], 'rebuild', '--loglevel=error', `--nodedir=${nodedir}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 120_000 });
if (r.status !== 0) {
  console.warn(`native scanner: build failed; using the JavaScript walker\n${(r.stderr || r.stdout || String(r.error)).split('\n').slice(-15).join('\n')}`);
  process.exit(0);
}
console.log('native scanner: built');
