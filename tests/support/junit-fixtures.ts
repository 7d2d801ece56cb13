/** Helpers shared by the parser's tests (not used by the parser itself). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedReport, ResultOutcome } from '@/lib/engine/flaky/types';
import { parseJunit } from '@/lib/engine/flaky/junit';

export const FIXTURES = fileURLToPath(new URL('../../lib/engine/flaky/junit/fixtures', import.meta.url));

/** A fixture's text, for tests that rewrite it before parsing. */
export const fixtureText = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** Parses a fixture from its bytes; fails the test when it is rejected. */
export function fixture(name: string): ParsedReport {
  const r = parseJunit(new Uint8Array(fs.readFileSync(path.join(FIXTURES, name))), { file: name });
  if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
  return r.report;
}

export interface Counts {
  tests: number;
  passed: number;
  failed: number;
  error: number;
  skipped: number;
  flaky: number;
  attempts: number;
}

/** `tests` = distinct identities; outcome counts per result (a test per variant); attempts summed. */
export function counts(report: ParsedReport): Counts {
  const c: Counts = { tests: new Set(report.cases.map((x) => x.identity.key)).size, passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0, attempts: 0 };
  for (const x of report.cases) {
    c[x.outcome satisfies ResultOutcome]++;
    c.attempts += x.attempts.length;
  }
  return c;
}

/** The case named `name` (normalised name), optionally of one variant; throws when absent. */
export function caseNamed(report: ParsedReport, name: string, variant?: string) {
  const found = report.cases.find((c) => c.identity.name === name && (variant === undefined || c.variant === variant));
  if (!found) throw new Error(`no case ${name}`);
  return found;
}
