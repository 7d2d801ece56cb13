/**
 * Chaos results (hologram playbook "Chaos Results Analysis": success rate > 95 %, recovery time
 * < 30 s, per scenario). Two inputs:
 *
 * - JSON: `{ "scenarios"|"results": [...] }` or a bare array. An entry is one attempt
 *   (`{ "scenario": "ipfs_restart", "status": "passed", "recovery_time_s": 12.5 }`; `passed`/
 *   `success` booleans work too) or a tally (`{ "scenario", "runs": 20, "passed": 19,
 *   "recovery_times_s": [...] }`). Recovery: `recovery_time_s`, `recovery_s`, `recovery_ms`,
 *   `recovery_time_ms`, or the `recovery_times_s|ms` arrays.
 * - JUnit XML with a tag: the cases whose suite, class, name or file contains the tag (default
 *   `chaos`, which matches pytest's `tests/phase9_chaos/`); each attempt a run, the test name the
 *   scenario. Parsed by the flaky-tests parser (no DTDs, no entity expansion). A case's recovery
 *   time is a property of that `<testcase>`, the way producers write per-case metadata (pytest
 *   `record_property`, Surefire / JUnit 5 report entries, Jenkins, Playwright annotations):
 *   `<properties><property name="recovery_time_s" value="12.5"/></properties>`, or the value as
 *   text content (`<property name="recovery_time_s">12.5</property>`). Same names and order as the
 *   JSON path (`recovery_time_s`, `recovery_s`, `recovery_seconds`, then `recovery_ms`,
 *   `recovery_time_ms`); one recovery per testcase (a retry written as another testcase is another
 *   attempt with its own); a value that is not a non-negative number (at most 1e9) rejects the file
 *   with its line and property name. Properties outside a testcase (suite level) belong to no case;
 *   a case without one has an unknown recovery. Only these names are kept (`keepProperties`), so
 *   the flaky-tests ingest itself keeps no properties.
 */
import { createJunitEntryParser, JunitParseError, type CaseEntry, type CaseProperty } from '@/lib/engine/flaky/junit';
import { SoakParseError, shown } from './errors';

export interface ChaosScenario {
  scenario: string;
  attempts: number;
  passed: number;
  /** Recovery times in ms, as given (at most MAX_RECOVERIES kept). */
  recoveryMs: number[];
}

export interface ChaosTargets { minSuccessRate: number; maxRecoveryMs: number }
export const DEFAULT_CHAOS_TARGETS: Readonly<ChaosTargets> = { minSuccessRate: 0.95, maxRecoveryMs: 30_000 };
export const CHAOS_LIMITS = { maxScenarios: 1_000, maxEntries: 100_000, maxRecoveries: 1_000 } as const;
export const SCENARIO_RE = /^[^\p{Cc}]{1,200}$/u;

const isObj = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

function seconds(v: unknown, where: string, file: string, factor: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1e9) throw new SoakParseError(file, where, `${shown(v)} is not a non-negative number`);
  return v * factor;
}

function attemptPassed(e: Record<string, unknown>, where: string, file: string): boolean {
  if (typeof e.passed === 'boolean') return e.passed;
  if (typeof e.success === 'boolean') return e.success;
  const s = e.status ?? e.outcome ?? e.result;
  if (typeof s === 'string') {
    const v = s.trim().toLowerCase();
    if (['pass', 'passed', 'ok', 'success', 'succeeded', 'recovered'].includes(v)) return true;
    if (['fail', 'failed', 'error', 'failure', 'not_recovered'].includes(v)) return false;
  }
  throw new SoakParseError(file, where, 'needs "status" (passed or failed) or "passed": true/false');
}

export function parseChaosJson(file: string, value: unknown): ChaosScenario[] {
  const list = Array.isArray(value) ? value : isObj(value) ? (value.scenarios ?? value.results) : undefined;
  const prefix = Array.isArray(value) ? '' : isObj(value) && value.scenarios !== undefined ? 'scenarios' : 'results';
  if (!Array.isArray(list)) throw new SoakParseError(file, '', 'expected { "scenarios": [...] }, { "results": [...] } or an array');
  if (list.length > CHAOS_LIMITS.maxEntries) throw new SoakParseError(file, '', `more than ${CHAOS_LIMITS.maxEntries} entries`);
  const by = new Map<string, ChaosScenario>();
  list.forEach((e, i) => {
    const at = `${prefix}[${i}]`;
    if (!isObj(e)) throw new SoakParseError(file, at, 'must be an object');
    const name = e.scenario ?? e.name;
    if (typeof name !== 'string' || !SCENARIO_RE.test(name.trim())) throw new SoakParseError(file, `${at}.scenario`, 'needs a scenario name (1 to 200 printable characters)');
    const key = name.trim();
    let sc = by.get(key);
    if (!sc) {
      if (by.size >= CHAOS_LIMITS.maxScenarios) throw new SoakParseError(file, at, `more than ${CHAOS_LIMITS.maxScenarios} scenarios`);
      sc = { scenario: key, attempts: 0, passed: 0, recoveryMs: [] };
      by.set(key, sc);
    }
    const runs = e.runs ?? e.attempts;
    const push = (ms: number | null) => { if (ms !== null && sc!.recoveryMs.length < CHAOS_LIMITS.maxRecoveries) sc!.recoveryMs.push(ms); };
    if (runs !== undefined) {
      const passed = e.passed ?? e.successes;
      if (typeof runs !== 'number' || !Number.isInteger(runs) || runs < 0 || runs > 1e6) throw new SoakParseError(file, `${at}.runs`, `${shown(runs)} is not a whole number of runs`);
      if (typeof passed !== 'number' || !Number.isInteger(passed) || passed < 0 || passed > runs) throw new SoakParseError(file, `${at}.passed`, `${shown(passed)} must be a whole number from 0 to runs (${runs})`);
      sc.attempts += runs;
      sc.passed += passed;
      for (const [k, f] of [['recovery_times_s', 1000], ['recovery_times_ms', 1]] as const) {
        const arr = e[k];
        if (arr === undefined) continue;
        if (!Array.isArray(arr)) throw new SoakParseError(file, `${at}.${k}`, 'must be an array of numbers');
        arr.forEach((v, j) => push(seconds(v, `${at}.${k}[${j}]`, file, f)));
      }
    } else {
      sc.attempts++;
      if (attemptPassed(e, at, file)) sc.passed++;
      push(seconds(e.recovery_time_s ?? e.recovery_s ?? e.recovery_seconds, `${at}.recovery_time_s`, file, 1000) ?? seconds(e.recovery_ms ?? e.recovery_time_ms, `${at}.recovery_ms`, file, 1));
    }
  });
  if (!by.size) throw new SoakParseError(file, '', 'no chaos results');
  return [...by.values()];
}

/** Recovery property names, seconds first, in the JSON path's order (the first present one counts). */
const RECOVERY_S = ['recovery_time_s', 'recovery_s', 'recovery_seconds'] as const;
const RECOVERY_MS = ['recovery_ms', 'recovery_time_ms'] as const;
const NUMBER_RE = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A property's value as `seconds()` reads a JSON number; anything else names file, line and property. */
function propertyValue(file: string, p: CaseProperty, factor: number): number {
  const where = `line ${p.line}, property "${p.name}"`;
  if (p.truncated) throw new SoakParseError(file, where, `a value longer than ${p.value.length} characters is not a non-negative number`, p.line);
  const t = p.value.trim();
  const v = NUMBER_RE.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v) || v > 1e9) throw new SoakParseError(file, where, `${shown(p.value)} is not a non-negative number`, p.line);
  return v * factor;
}

/** The recovery time of one testcase in ms, or null when it has none. */
function caseRecoveryMs(file: string, props: readonly CaseProperty[] | undefined): number | null {
  if (!props?.length) return null;
  for (const [names, factor] of [[RECOVERY_S, 1000], [RECOVERY_MS, 1]] as const) {
    for (const n of names) {
      const p = props.find((q) => q.name === n);
      if (p) return propertyValue(file, p, factor);
    }
  }
  return null;
}

export function parseChaosJunit(file: string, text: string, tag = 'chaos'): ChaosScenario[] {
  const needle = tag.trim().toLowerCase();
  const by = new Map<string, ChaosScenario>();
  const add = (e: CaseEntry) => {
    const id = e.identity;
    if (needle && ![id.suite, id.classname, id.name, id.file ?? ''].some((s) => s.toLowerCase().includes(needle))) return;
    const recovery = caseRecoveryMs(file, e.properties);
    const attempts = e.attempts.filter((a) => a.outcome !== 'skipped');
    if (!attempts.length) return;
    const key = id.name.slice(0, 200);
    let sc = by.get(key);
    if (!sc) {
      if (by.size >= CHAOS_LIMITS.maxScenarios) throw new SoakParseError(file, '', `more than ${CHAOS_LIMITS.maxScenarios} scenarios`);
      sc = { scenario: key, attempts: 0, passed: 0, recoveryMs: [] };
      by.set(key, sc);
    }
    sc.attempts += attempts.length;
    sc.passed += attempts.filter((a) => a.outcome === 'passed').length;
    if (recovery !== null && sc.recoveryMs.length < CHAOS_LIMITS.maxRecoveries) sc.recoveryMs.push(recovery);
  };
  const parser = createJunitEntryParser({ file, entries: { add }, keepProperties: [...RECOVERY_S, ...RECOVERY_MS] });
  try {
    parser.write(text);
    parser.end();
  } catch (e) {
    if (!(e instanceof JunitParseError)) throw e;
    const f = e.failure;
    throw new SoakParseError(file, f.line === null ? '' : `line ${f.line}${f.column === null ? '' : `, column ${f.column}`}`, f.message, f.line);
  }
  if (!by.size) throw new SoakParseError(file, '', needle ? `no test case tagged "${tag}" (in its suite, class, name or file), skipped ones aside` : 'no test cases');
  return [...by.values()];
}

/** JSON or JUnit by content: XML starts with `<`. */
export function parseChaosFile(file: string, text: string, tag?: string): ChaosScenario[] {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('<')) return parseChaosJunit(file, body, tag);
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw new SoakParseError(file, '', e instanceof RangeError ? 'nested too deeply' : `neither JSON nor JUnit XML: ${(e as Error).message}`);
  }
  return parseChaosJson(file, v);
}

export interface ChaosVerdict {
  scenario: string;
  attempts: number;
  passed: number;
  successRate: number | null;
  recoveryMedianMs: number | null;
  recoveryMaxMs: number | null;
  /** > target (strict, as the playbook writes "> 95 %"); null with no attempts. */
  successOk: boolean | null;
  /** Worst recovery < target (strict); null when no recovery time was given. */
  recoveryOk: boolean | null;
}

export function judgeChaos(s: ChaosScenario, t: ChaosTargets = DEFAULT_CHAOS_TARGETS): ChaosVerdict {
  const rate = s.attempts ? s.passed / s.attempts : null;
  const rec = [...s.recoveryMs].sort((a, b) => a - b);
  const med = rec.length ? (rec.length % 2 ? rec[rec.length >> 1]! : (rec[rec.length / 2 - 1]! + rec[rec.length / 2]!) / 2) : null;
  const maxR = rec.length ? rec[rec.length - 1]! : null;
  return { scenario: s.scenario, attempts: s.attempts, passed: s.passed, successRate: rate, recoveryMedianMs: med, recoveryMaxMs: maxR, successOk: rate === null ? null : rate > t.minSuccessRate, recoveryOk: maxR === null ? null : maxR < t.maxRecoveryMs };
}
