#!/usr/bin/env node
// The `steward` command. It runs the TypeScript CLI through tsx so the CLI shares lib/services
// with the web app without a separate build step.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const home = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.STEWARD_HOME ??= home;
register({ tsconfig: path.join(home, 'tsconfig.json') });
const { main } = await import(path.join(home, 'cli', 'main.ts'));
process.exitCode = await main(process.argv);
