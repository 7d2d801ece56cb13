// Probe of tests/support/unprivileged.ts: proves tsx, an '@/' import and the temp dir all work
// for the user this runs as.
import fs from 'node:fs';
import { formatBytes } from '@/lib/engine/units';

fs.writeFileSync(`${process.argv[2]}/probe`, formatBytes(1));
console.log('ok');
