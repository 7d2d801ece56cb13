/**
 * `steward soak report <files…>`: judge a soak run's resource samples (leak fit and the runbook's
 * success criteria) on this machine and print the verdicts; `--report-to` also sends the run to a
 * Steward server (ingest token), whose stored verdicts are then printed. `steward e2e summarize`
 * prints an events.jsonl's last successful step, failing step and error; `steward chaos report` a
 * chaos file's success rate and recovery time per scenario. Exit codes: cli/soak/format.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_CHAOS_TARGETS, DEFAULT_THRESHOLDS, formatE2eSummary, judgeChaos, parseChaosFile, parseE2eEvents, SoakParseError } from '@/lib/engine/soak';
import { parseDuration } from '@/lib/engine/units';
import { ServiceError } from '@/lib/services/errors';
import type { SoakRunResult } from '@/lib/services/soak/dto';
import type { ChaosIngestResult } from '@/lib/services/soak/chaos';
import type { E2eIngestResult } from '@/lib/services/soak/e2e';
import { analyseSoakFiles } from '@/lib/services/soak/ingest';
import { soakRunSchema } from '@/lib/services/soak/input';
import type { Out } from '../context';
import { CliError } from '../exit-codes';
import { call, resolveServer } from '../flaky/client';
import { expandArgs } from '../report/check-junit';
import { chaosTable, SOAK_EXIT, soakExit, soakTable } from '../soak/format';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;
const bad = (msg: string) => new CliError(msg, SOAK_EXIT.BAD_INPUT);
const collect = (v: string, prev: string[]) => [...prev, v];

async function readAll(args: string[]): Promise<{ name: string; content: string }[]> {
  const { files, unmatched } = await expandArgs(args);
  if (unmatched.length) throw bad(`no file matches ${unmatched.join(', ')}`);
  return Promise.all(files.map(async (f) => {
    try {
      return { name: path.basename(f), content: await fs.promises.readFile(f, 'utf8') };
    } catch (e) {
      throw bad(`${f}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }));
}

function count(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) throw bad(`${flag} must be a whole number, got ${JSON.stringify(v)}`);
  return Number(v);
}

function thresholds(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    const k = kv.slice(0, i).trim();
    const n = Number(kv.slice(i + 1).trim());
    if (i <= 0 || !(k in DEFAULT_THRESHOLDS)) throw bad(`--threshold takes name=value with a name of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}; got ${JSON.stringify(kv)}`);
    if (!kv.slice(i + 1).trim() || !Number.isFinite(n) || n < 0) throw bad(`--threshold ${k}: not a non-negative number`);
    out[k] = n;
  }
  return out;
}

interface ServerFlags { reportTo?: string; token?: string; project?: string; runKey?: string }

async function upload<T>(o: ServerFlags, pathName: string, body: Record<string, unknown>): Promise<T> {
  if (!o.project) throw bad('--project <key> is required with --report-to');
  const srv = resolveServer({ server: o.reportTo, token: o.token });
  if ('error' in srv) throw bad(srv.error.replace('--server', '--report-to'));
  const r = await call<T>(`${srv.base}${pathName}`, { method: 'POST', headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ project: o.project, ...(o.runKey ? { runKey: o.runKey } : {}), ...body }) });
  if (!r.ok) {
    if (r.status === null) throw new CliError(`${r.error} (the server is unreachable: nothing was stored)`, SOAK_EXIT.UNREACHABLE);
    throw new CliError(`upload refused: ${r.error}`, r.status === 400 ? SOAK_EXIT.BAD_INPUT : 1);
  }
  return r.data;
}

function addServer(cmd: Command): Command {
  return cmd
    .option('--project <key>', 'Steward project key (required with --report-to)')
    .option('--report-to <url>', 'also send the run to this Steward server (its stored verdicts are printed)')
    .option('--token <token>', 'API token with the ingest scope (default: $STEWARD_TOKEN)')
    .option('--run-key <key>', 'idempotency key (e.g. the CI run id): a re-sent run with it is not stored twice');
}

export function registerSoakCommands(program: Command, run: Run, setExit: (code: number) => void): void {
  const soak = program.command('soak').description('soak-test analysis: memory-leak verdict and success criteria');
  addServer(soak.command('report').description('judge a soak run from its resource samples (JSON lines, CSV, resources.analysis.json, npm/pip-audit/cargo audit JSON)'))
    .argument('<files...>', 'sample files, resources.analysis.json, audit reports (globs allowed)')
    .requiredOption('--run <name>', 'the run name (nightly-24h)')
    .option('--crashes <n>', 'crashes during the run (criterion: 0)')
    .option('--orphan-orders <n>', 'orders left open after shutdown (criterion: 0)')
    .option('--duration <hours>', "the run's duration in hours, when the samples do not span it")
    .option('--threshold <name=value>', `override a criterion threshold (${Object.keys(DEFAULT_THRESHOLDS).join(', ')}); repeatable`, collect, [])
    .option('--warmup <minutes>', 'minutes left out before the leak fit (default 30)')
    .addHelpText('after', '\nExit codes: 0 pass (unknown criteria allowed), 1 a criterion failed or a leak, 64 bad input, 69 server unreachable.')
    .action((files: string[], o: ServerFlags & { run: string; crashes?: string; orphanOrders?: string; duration?: string; threshold: string[]; warmup?: string }) => run(async (out) => {
      const contents = await readAll(files);
      const duration = o.duration === undefined ? undefined : Number(o.duration);
      if (duration !== undefined && !(Number.isFinite(duration) && duration >= 0)) throw bad('--duration must be hours, a non-negative number');
      const warmup = o.warmup === undefined ? undefined : Number(o.warmup);
      if (warmup !== undefined && !(Number.isFinite(warmup) && warmup >= 0)) throw bad('--warmup must be minutes, a non-negative number');
      const body = {
        name: o.run, files: contents, crashes: count(o.crashes, '--crashes'), orphanOrders: count(o.orphanOrders, '--orphan-orders'), durationHours: duration,
        thresholds: o.threshold.length ? thresholds(o.threshold) : undefined, leak: warmup === undefined ? undefined : { warmupMinutes: warmup },
      };
      const checked = soakRunSchema.safeParse({ project: o.project ?? 'local', ...body });
      if (!checked.success) throw bad(checked.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; '));
      if (o.reportTo) {
        const r = await upload<SoakRunResult>(o, '/api/v1/soak-runs', body);
        out.result(r, soakTable(r));
        setExit(soakExit(r.status));
        return;
      }
      let analysed;
      try {
        analysed = analyseSoakFiles(checked.data);
      } catch (e) {
        if (e instanceof ServiceError) throw bad(e.details?.map((d) => d.message).join('; ') ?? e.message);
        throw e;
      }
      const { evaluation: ev, merged, parsed } = analysed;
      const result = { name: o.run, status: ev.status, leak: ev.leak, criteria: ev.criteria, stats: ev.stats, security: merged.security, files: parsed.map((f) => ({ file: f.file, kind: f.kind, format: f.format, samples: f.kind === 'samples' ? f.samples.length : 0 })), warnings: merged.warnings };
      out.result(result, soakTable(result));
      setExit(soakExit(ev.status));
    }));

  const e2e = program.command('e2e').description('E2E event logs (reports/e2e/events.jsonl)');
  addServer(e2e.command('summarize').description('print the last successful step, the failing step and its error'))
    .argument('<file>', 'events.jsonl')
    .option('--pipeline <name>', 'pipeline name for events that do not say', 'e2e')
    .addHelpText('after', '\nExit codes: 0 every run passed, 1 a run failed or never finished, 64 bad input (a bad line: its number is printed), 69 server unreachable.')
    .action((file: string, o: ServerFlags & { pipeline: string }) => run(async (out) => {
      const [f] = await readAll([file]);
      const p = parseE2eEvents(f!.content, { pipeline: o.pipeline });
      if (p.errors.length) throw bad(p.errors.slice(0, 20).map((e) => `${f!.name}:${e.line}: ${e.message}`).join('\n'));
      if (!p.runs.length) throw bad(`${f!.name}: no events`);
      for (const w of p.warnings) out.info(`warning: ${f!.name}: ${w}`);
      if (o.reportTo) {
        const r = await upload<E2eIngestResult>(o, '/api/v1/e2e-runs', { pipeline: o.pipeline, file: f });
        out.result(r, r.runs.map((x) => formatE2eSummary({ ...x, runId: x.externalId, startT: null, endT: null, events: 0 })).join('\n'));
        setExit(r.runs.every((x) => x.outcome === 'pass') ? SOAK_EXIT.PASS : SOAK_EXIT.FAIL);
        return;
      }
      out.result({ runs: p.runs, warnings: p.warnings }, p.runs.map(formatE2eSummary).join('\n'));
      setExit(p.runs.every((x) => x.outcome === 'pass') ? SOAK_EXIT.PASS : SOAK_EXIT.FAIL);
    }));

  const chaos = program.command('chaos').description('chaos results: success rate and recovery time per scenario');
  addServer(chaos.command('report').description('judge chaos results (JSON, or JUnit XML with a tag)'))
    .argument('<file>', 'chaos results: JSON or JUnit XML')
    .option('--tag <tag>', 'JUnit: the cases whose suite, class, name or file contains this ("" takes all)', 'chaos')
    .option('--min-success <ratio>', 'success-rate target, exclusive (default 0.95)')
    .option('--max-recovery <duration>', 'recovery-time target on the worst recovery, exclusive (default 30s)')
    .addHelpText('after', '\nExit codes: 0 every scenario on target, 1 one below, 64 bad input, 69 server unreachable.')
    .action((file: string, o: ServerFlags & { tag: string; minSuccess?: string; maxRecovery?: string }) => run(async (out) => {
      const [f] = await readAll([file]);
      const min = o.minSuccess === undefined ? DEFAULT_CHAOS_TARGETS.minSuccessRate : Number(o.minSuccess);
      if (!(Number.isFinite(min) && min >= 0 && min <= 1)) throw bad('--min-success must be a ratio from 0 to 1');
      let maxMs = DEFAULT_CHAOS_TARGETS.maxRecoveryMs;
      if (o.maxRecovery !== undefined) {
        try {
          maxMs = parseDuration(o.maxRecovery, '--max-recovery');
        } catch (e) {
          throw bad((e as Error).message);
        }
      }
      const targets = { minSuccessRate: min, maxRecoveryMs: maxMs };
      let verdicts;
      try {
        verdicts = parseChaosFile(f!.name, f!.content, o.tag).map((s) => judgeChaos(s, targets));
      } catch (e) {
        if (e instanceof SoakParseError) throw bad(e.message);
        throw e;
      }
      if (o.reportTo) {
        const r = await upload<ChaosIngestResult>(o, '/api/v1/chaos-results', { tag: o.tag, file: f });
        verdicts = r.scenarios.map((s) => judgeChaos({ scenario: s.scenario, attempts: s.attempts, passed: s.passed, recoveryMs: [] }, targets)).map((v, i) => ({ ...v, recoveryMedianMs: r.scenarios[i]!.recoveryMedianMs, recoveryMaxMs: r.scenarios[i]!.recoveryMaxMs, recoveryOk: r.scenarios[i]!.recoveryMaxMs === null ? null : r.scenarios[i]!.recoveryMaxMs! < targets.maxRecoveryMs }));
        out.result({ ...r, scenarios: verdicts }, chaosTable(verdicts, targets));
      } else out.result({ scenarios: verdicts, targets }, chaosTable(verdicts, targets));
      setExit(verdicts.some((v) => v.successOk === false || v.recoveryOk === false) ? SOAK_EXIT.FAIL : SOAK_EXIT.PASS);
    }));
}
