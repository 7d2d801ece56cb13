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
 *   scenario. Parsed by the flaky-tests parser (no DTDs, no entity expansion). JUnit carries no
 *   recovery times: those stay unknown.
 */
import { parseJunit } from '@/lib/engine/flaky/junit';
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

export function parseChaosJunit(file: string, text: string, tag = 'chaos'): ChaosScenario[] {
  const r = parseJunit(text, { file });
  if (!r.ok) throw new SoakParseError(file, r.error.line === null ? '' : `line ${r.error.line}${r.error.column === null ? '' : `, column ${r.error.column}`}`, r.error.message, r.error.line);
  const needle = tag.trim().toLowerCase();
  const by = new Map<string, ChaosScenario>();
  for (const c of r.report.cases) {
    const id = c.identity;
    if (needle && ![id.suite, id.classname, id.name, id.file ?? ''].some((s) => s.toLowerCase().includes(needle))) continue;
    const attempts = c.attempts.filter((a) => a.outcome !== 'skipped');
    if (!attempts.length) continue;
    const key = id.name.slice(0, 200);
    let sc = by.get(key);
    if (!sc) {
      if (by.size >= CHAOS_LIMITS.maxScenarios) throw new SoakParseError(file, '', `more than ${CHAOS_LIMITS.maxScenarios} scenarios`);
      sc = { scenario: key, attempts: 0, passed: 0, recoveryMs: [] };
      by.set(key, sc);
    }
    sc.attempts += attempts.length;
    sc.passed += attempts.filter((a) => a.outcome === 'passed').length;
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
