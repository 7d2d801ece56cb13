/**
 * E2E event logs (`reports/e2e/events.jsonl`, hologram playbook triage step 2): one JSON object per
 * line, summarised like the seed's `summarize_e2e.py` — the last successful step, the failing step
 * and its error. Accepted events (field names are case-sensitive, extras ignored):
 *
 *   {"ts": "2026-12-01T02:00:03Z", "pipeline": "publish-install-use", "step": "publish", "status": "ok", "duration_ms": 812}
 *   {"ts": "…", "step": "install", "status": "fail", "error": "npm ERR! 404"}
 *
 * `step` (or `name`); `status` (or `event`/`outcome`): start/started/begin, ok/pass/passed/success/
 * done, fail/failed/error, skip/skipped (`step_start`, `step_ok`, `step_fail` work too); `error` (or
 * `message`); optional `pipeline` (default from the caller), `run_id`, `duration_ms`. A bad line is
 * an error naming its number; a truncated LAST line (a crash mid-write) is only a warning.
 */
import { parseTime } from './fields';

export type StepStatus = 'ok' | 'fail' | 'started' | 'skipped';
export type E2eOutcome = 'pass' | 'fail' | 'incomplete';

export interface E2eStep {
  name: string;
  status: StepStatus;
  durationMs: number | null;
  error: string | null;
  line: number;
}

export interface E2eRunSummary {
  pipeline: string;
  runId: string | null;
  outcome: E2eOutcome;
  startT: number | null;
  endT: number | null;
  steps: E2eStep[];
  lastSuccessfulStep: string | null;
  failingStep: string | null;
  error: string | null;
  events: number;
}

export interface E2eParse {
  runs: E2eRunSummary[];
  errors: { line: number; message: string }[];
  warnings: string[];
}

export const E2E_LIMITS = { maxEvents: 100_000, maxLineChars: 65_536, maxSteps: 500, maxErrorChars: 2_000, maxPipelines: 50 } as const;
export const PIPELINE_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;

const START = new Set(['start', 'started', 'begin', 'running', 'step_start']);
const OK = new Set(['ok', 'pass', 'passed', 'success', 'succeeded', 'done', 'complete', 'completed', 'step_ok', 'step_end', 'step_pass', 'step_success']);
const FAIL = new Set(['fail', 'failed', 'failure', 'error', 'errored', 'step_fail', 'step_error', 'step_failed']);
const SKIP = new Set(['skip', 'skipped', 'step_skip', 'step_skipped']);

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const clean = (s: string, max: number) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').slice(0, max);

function statusOf(v: unknown): StepStatus | null {
  if (typeof v !== 'string') return null;
  const s = v.trim().toLowerCase();
  if (START.has(s)) return 'started';
  if (OK.has(s)) return 'ok';
  if (FAIL.has(s)) return 'fail';
  if (SKIP.has(s)) return 'skipped';
  return null;
}

interface Acc { pipeline: string; runId: string | null; steps: E2eStep[]; byName: Map<string, E2eStep>; startT: number | null; endT: number | null; events: number }

export function parseE2eEvents(text: string, { pipeline: defaultPipeline = 'e2e' }: { pipeline?: string } = {}): E2eParse {
  const errors: E2eParse['errors'] = [];
  const warnings: string[] = [];
  const runs = new Map<string, Acc>();
  const lines = text.split('\n');
  if (lines.length > E2E_LIMITS.maxEvents + 1) return { runs: [], errors: [{ line: E2E_LIMITS.maxEvents + 1, message: `more than ${E2E_LIMITS.maxEvents} events` }], warnings };
  const lastNonBlank = lines.reduce((last, l, i) => (l.trim() ? i : last), -1);
  const bad = (line: number, message: string) => { if (errors.length < 100) errors.push({ line, message }); };
  lines.forEach((rawLine, i) => {
    const n = i + 1;
    const raw = rawLine.replace(/\r$/, '');
    if (!raw.trim()) return;
    if (raw.length > E2E_LIMITS.maxLineChars) return bad(n, `longer than ${E2E_LIMITS.maxLineChars} characters`);
    let ev: unknown;
    try {
      ev = JSON.parse(raw);
    } catch (e) {
      if (i === lastNonBlank && !text.endsWith('\n')) return void warnings.push(`line ${n}: truncated last line ignored (${(e as Error).message})`);
      return bad(n, `not JSON: ${(e as Error).message}`);
    }
    if (!ev || typeof ev !== 'object' || Array.isArray(ev)) return bad(n, 'must be a JSON object');
    const o = ev as Record<string, unknown>;
    const step = o.step ?? o.name;
    if (typeof step !== 'string' || !step.trim()) return bad(n, 'needs "step" (the step name)');
    const status = statusOf(o.status ?? o.event ?? o.outcome);
    if (!status) return bad(n, `"status" must be start, ok or fail (got ${JSON.stringify(String(o.status ?? o.event ?? o.outcome ?? '')).slice(0, 40)})`);
    const p = o.pipeline ?? defaultPipeline;
    if (typeof p !== 'string' || !PIPELINE_RE.test(p)) return bad(n, '"pipeline" must be a name (letters, digits, . _ / -, at most 100)');
    const runId = o.run_id === undefined || o.run_id === null ? null : typeof o.run_id === 'string' || typeof o.run_id === 'number' ? clean(String(o.run_id), 200) : undefined;
    if (runId === undefined) return bad(n, '"run_id" must be a string');
    let t: number | null = null;
    const tv = o.ts ?? o.timestamp ?? o.time;
    if (tv !== undefined) {
      const pt = parseTime(tv);
      if (typeof pt === 'string') return bad(n, `"ts": ${pt}`);
      t = pt;
    }
    const dur = o.duration_ms ?? (typeof o.duration_s === 'number' ? o.duration_s * 1000 : undefined);
    if (dur !== undefined && (typeof dur !== 'number' || !Number.isFinite(dur) || dur < 0 || dur > 1e12)) return bad(n, '"duration_ms" must be a non-negative number');
    const errText = o.error ?? o.message;
    const key = `${p}\u0000${runId ?? ''}`;
    let acc = runs.get(key);
    if (!acc) {
      if (runs.size >= E2E_LIMITS.maxPipelines) return bad(n, `more than ${E2E_LIMITS.maxPipelines} pipelines/runs in one file`);
      acc = { pipeline: p, runId, steps: [], byName: new Map(), startT: null, endT: null, events: 0 };
      runs.set(key, acc);
    }
    acc.events++;
    if (t !== null) {
      acc.startT = acc.startT === null ? t : Math.min(acc.startT, t);
      acc.endT = acc.endT === null ? t : Math.max(acc.endT, t);
    }
    const name = clean(step.trim(), 200);
    let s = acc.byName.get(name);
    if (!s || (status === 'started' && s.status !== 'started')) {
      if (acc.steps.length >= E2E_LIMITS.maxSteps) return bad(n, `more than ${E2E_LIMITS.maxSteps} steps in one run`);
      s = { name, status, durationMs: null, error: null, line: n };
      acc.steps.push(s);
      acc.byName.set(name, s);
    }
    s.status = status;
    s.line = n;
    if (typeof dur === 'number') s.durationMs = dur;
    if (status === 'fail') s.error = errText === undefined || errText === null ? null : clean(typeof errText === 'string' ? errText : JSON.stringify(errText), E2E_LIMITS.maxErrorChars);
  });
  return { runs: [...runs.values()].map(summarise), errors, warnings };
}

function summarise(a: Acc): E2eRunSummary {
  const failing = a.steps.find((s) => s.status === 'fail') ?? null;
  const unfinished = a.steps.find((s) => s.status === 'started') ?? null;
  const oks = a.steps.filter((s) => s.status === 'ok');
  const outcome: E2eOutcome = failing ? 'fail' : unfinished ? 'incomplete' : 'pass';
  const stuck = failing ?? unfinished;
  return {
    pipeline: a.pipeline, runId: a.runId, outcome, startT: a.startT, endT: a.endT, steps: a.steps, events: a.events,
    lastSuccessfulStep: oks.length ? oks[oks.length - 1]!.name : null,
    failingStep: stuck?.name ?? null,
    error: failing ? failing.error ?? '(no error message in the log)' : unfinished ? 'started but never finished (the log ends here)' : null,
  };
}

/** Plain text like the seed's summarize_e2e.py. */
export function formatE2eSummary(r: E2eRunSummary): string {
  const lines = [`E2E ${r.pipeline}${r.runId ? ` (run ${r.runId})` : ''}: ${r.outcome.toUpperCase()} — ${r.steps.filter((s) => s.status === 'ok').length}/${r.steps.length} step(s) ok`];
  lines.push(`  last successful step: ${r.lastSuccessfulStep ?? '(none)'}`);
  if (r.failingStep) lines.push(`  failing step: ${r.failingStep}`, `  error: ${r.error ?? ''}`);
  return lines.join('\n');
}
