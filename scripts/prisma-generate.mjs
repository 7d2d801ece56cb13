#!/usr/bin/env node
// Generates the Prisma client without Prisma's native schema engine, which cannot be downloaded
// on machines without internet access: the generator only needs the WASM query compiler, and
// PRISMA_SCHEMA_ENGINE_BINARY pointing at any path stops the CLI from fetching the engine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const r = spawnSync(process.execPath, [prismaCli, 'generate'], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
