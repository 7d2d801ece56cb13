/** Helpers shared by the perf parsers' tests (not used by the parsers themselves). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PERF_FIXTURES = fileURLToPath(new URL('../../lib/engine/perf/formats/fixtures', import.meta.url));

/** A fixture's text, as an upload would carry it. */
export function perfFixture(name: string): string {
  return fs.readFileSync(path.join(PERF_FIXTURES, name), 'utf8');
}
