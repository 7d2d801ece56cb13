/**
 * `steward perf check|report <files…>`: send perf results (token with the ingest scope) and, for
 * `check`, gate on the verdicts; `--dry-run` parses locally. `steward perf budgets` and
 * `steward perf baseline` manage budgets and baselines on this machine's database (admin CLI);
 * `steward perf import` moves a github-action-benchmark data.js history over (cli/perf/import.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { budgetsFromEnv, parsePerfFile, PERF_FORMATS, PerfParseError, type Direction } from '@/lib/engine/perf';
import { ciRunFromEnv } from '@/lib/engine/flaky/ci-env';
import { cliActor } from '@/lib/services/actor';
import { findSeries, refreshBaseline, rollbackBaseline, seriesReadiness } from '@/lib/services/perf/baselines';
import { listBudgets, setBudgets } from '@/lib/services/perf/budgets';
import type { PerfRunResult } from '@/lib/services/perf/run-result';
import { withDb, type Out } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { call, resolveServer } from '../flaky/client';
import { expandArgs } from '../report/check-junit';
import { registerPerfImportCommand } from '../perf/import';
import { formatValue, gateExit, gateMarkdown, gateTable } from '../perf/summary';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

interface SendFlags {
  project?: string; profile: string; branch?: string; baseBranch: string; commit?: string; runId?: string; runUrl?: string; at?: string;
  testbed: string[]; autoTestbed: boolean; format: string; direction?: string; budget: string[]; budgetsFromEnv?: boolean;
  failOnWarn?: boolean; markdown?: string; dryRun?: boolean; server?: string; token?: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function keyValues(list: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CliError(`${flag} takes key=value, got ${JSON.stringify(kv)}`, EXIT.USAGE);
    out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}

/** This machine as a testbed: CPU model, cores, OS and architecture (flags add or override). */
export function localTestbed(): Record<string, string> {
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model.trim() || 'unknown', cores: String(cpus.length), os: os.platform(), arch: os.arch() };
}

async function readFiles(args: string[]): Promise<{ name: string; content: string }[]> {
  const { files, unmatched } = await expandArgs(args);
  if (unmatched.length) throw new CliError(`no file matches ${unmatched.join(', ')}`, EXIT.FAILED);
  return Promise.all(files.map(async (f) => ({ name: path.basename(f), content: await fs.promises.readFile(f, 'utf8') })));
}

function addSendOptions(cmd: Command): Command {
  return cmd
    .argument('<files...>', 'perf result files or glob patterns')
    .option('--project <key>', 'Steward project key (required unless --dry-run)')
    .option('--profile <name>', 'budget profile: pr (lenient), main or nightly (strict)', 'pr')
    .option('--branch <name>', 'branch under test (default: from the CI environment)')
    .option('--base-branch <name>', 'branch whose baseline to compare with', 'main')
    .option('--commit <sha>', 'commit under test (default: from the CI environment)')
    .option('--run-id <id>', 'CI run id (default: from the CI environment); a re-sent run is recognised by it')
    .option('--run-url <url>', 'link to the CI run')
    .option('--at <iso>', 'when the benchmarks ran (default: now)')
    .option('--testbed <key=value>', 'testbed attribute (cpu, cores, os, runner…); repeatable', collect, [])
    .option('--no-auto-testbed', "do not add this machine's CPU, cores, OS and architecture")
    .option('--format <name>', `auto or one of ${PERF_FORMATS.join(', ')}`, 'auto')
    .option('--direction <smaller|bigger>', 'which way is better, for formats that do not say (github-action-benchmark custom JSON)')
    .option('--budget <metric=limit>', 'budget for this run only, in canonical units (ms for times); repeatable', collect, [])
    .option('--budgets-from-env', "this run's budgets from the seed's SLO_<METRIC>_P95_MS variables")
    .option('--dry-run', 'parse locally and send nothing')
    .option('--server <url>', 'Steward server (default: $STEWARD_URL)')
    .option('--token <token>', 'API token with the ingest scope (default: $STEWARD_TOKEN)');
}

async function send(files: string[], o: SendFlags, out: Out): Promise<PerfRunResult | null> {
  const contents = await readFiles(files);
  const direction = o.direction as Direction | undefined;
  if (direction && direction !== 'smaller' && direction !== 'bigger') throw new CliError('--direction must be smaller or bigger', EXIT.USAGE);
  if (o.dryRun) {
    const parsed = contents.map((f) => {
      try {
        return { file: f.name, ...parsePerfFile(f.name, f.content, { format: o.format as never, direction }), error: null };
      } catch (e) {
        if (e instanceof PerfParseError) return { file: f.name, format: null, metrics: [], testbed: {}, warnings: [], error: { field: e.field, message: e.message } };
        throw e;
      }
    });
    const human = parsed.map((p) => (p.error ? `${p.file}: REJECTED: ${p.error.message}` : [`${p.file} (${p.format}): ${p.metrics.length} metric(s)`, ...p.metrics.map((m) => `  ${m.name}${m.measure === 'latency' ? '' : ` (${m.measure})`}: ${formatValue(m.value, m.unit)} ${m.valueKind}${m.samples ? ` of ${m.samples.length}` : ''}`), ...p.warnings.map((w) => `  warning: ${w}`)].join('\n'))).join('\n');
    out.result({ files: parsed.map((p) => ({ ...p, metrics: p.metrics.map(({ samples, ...m }) => ({ ...m, samples: samples?.length ?? 0 })) })) }, human);
    if (parsed.some((p) => p.error)) throw new CliError('some files were rejected', 65);
    return null;
  }
  if (!o.project) throw new CliError('--project <key> is required (or use --dry-run)', EXIT.USAGE);
  const srv = resolveServer(o);
  if ('error' in srv) throw new CliError(srv.error, EXIT.USAGE);
  const env = ciRunFromEnv(process.env);
  const budgets: Record<string, number> = {};
  if (o.budgetsFromEnv) {
    const b = budgetsFromEnv(process.env);
    if (b.errors.length) throw new CliError(`bad budget variables: ${b.errors.join('; ')}`, EXIT.USAGE);
    for (const x of b.budgets) budgets[x.metric] = x.limit;
  }
  for (const [k, v] of Object.entries(keyValues(o.budget, '--budget'))) {
    const n = Number(v);
    if (!v || !Number.isFinite(n) || n < 0) throw new CliError(`--budget ${k}=${v}: not a non-negative number`, EXIT.USAGE);
    budgets[k] = n;
  }
  const body = {
    project: o.project, profile: o.profile, branch: o.branch ?? env.branch, baseBranch: o.baseBranch, commit: o.commit ?? env.commit, ciRunId: o.runId ?? env.runId, ciUrl: o.runUrl ?? env.runUrl,
    at: o.at ?? null, testbed: { ...(o.autoTestbed ? localTestbed() : {}), ...keyValues(o.testbed, '--testbed') }, format: o.format, direction, budgets: Object.keys(budgets).length ? budgets : undefined, files: contents,
  };
  const r = await call<PerfRunResult>(`${srv.base}/api/v1/perf-results`, { method: 'POST', headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) {
    if (r.status === null) throw new CliError(`${r.error} (the server is unreachable: nothing was checked)`, 69);
    throw new CliError(`upload refused: ${r.error}`, r.status === 400 ? 65 : EXIT.FAILED);
  }
  out.result(r.data, gateTable(r.data));
  const md = gateMarkdown(r.data);
  if (o.markdown) await fs.promises.writeFile(o.markdown, md);
  if (process.env.GITHUB_STEP_SUMMARY) await fs.promises.appendFile(process.env.GITHUB_STEP_SUMMARY, md);
  return r.data;
}

export function registerPerfCommands(program: Command, run: Run, setExit: (code: number) => void): void {
  const perf = program.command('perf').description('performance budgets and baselines');
  addSendOptions(perf.command('check').description('send perf results and gate on budgets and confirmed regressions'))
    .option('--fail-on-warn', 'exit 2 when something warns (a pre-existing breach, a suspect regression)')
    .option('--markdown <file>', 'write the Markdown summary here too (it is always appended to $GITHUB_STEP_SUMMARY when set)')
    .addHelpText('after', '\nExit codes: 0 pass (warnings allowed), 1 a budget or a confirmed regression failed, 2 a warning with --fail-on-warn,\n64 bad usage, 65 a file or the run was rejected, 69 the server is unreachable (nothing was checked).')
    .action((files: string[], o: SendFlags) => run(async (out) => { const r = await send(files, o, out); if (r) setExit(gateExit(r, Boolean(o.failOnWarn))); }));
  addSendOptions(perf.command('report').description('send perf results (exit 0 whatever the verdicts; use check to gate)'))
    .action((files: string[], o: SendFlags) => run(async (out) => { await send(files, o, out); }));

  registerPerfImportCommand(perf, run);

  const budgets = perf.command('budgets').description("a project's budgets per profile (this machine's database)");
  budgets.command('import').description("import the seed's SLO_<METRIC>_P95_MS variables as a profile's budgets").requiredOption('--project <key>', 'project key').requiredOption('--profile <name>', 'pr, main, nightly…')
    .option('--from-env', 'read the environment (the only source so far)').option('--replace', "remove the profile's budgets not in the environment")
    .action((o: { project: string; profile: string; fromEnv?: boolean; replace?: boolean }) => run(async (out) => {
      if (!o.fromEnv) throw new CliError('say where from: --from-env', EXIT.USAGE);
      const b = budgetsFromEnv(process.env);
      if (b.errors.length) throw new CliError(`bad budget variables: ${b.errors.join('; ')}`, EXIT.USAGE);
      if (!b.budgets.length) throw new CliError('no SLO_<METRIC>_P95_MS variables are set', EXIT.USAGE);
      await withDb(async ({ db }) => {
        const list = await setBudgets(db, cliActor(), { project: o.project, profile: o.profile, budgets: b.budgets, replace: Boolean(o.replace) });
        out.result(list, list.map((x) => `${x.profile}\t${x.metric}\t${x.measure}\t${formatValue(x.limit, 'ms')}`).join('\n'));
      });
    }));
  budgets.command('list').requiredOption('--project <key>', 'project key').option('--profile <name>', 'one profile')
    .action((o: { project: string; profile?: string }) => run(async (out) => {
      await withDb(async ({ db }) => {
        const list = await listBudgets(db, 'all', o.project, o.profile);
        out.result(list, list.length ? list.map((x) => `${x.profile}\t${x.metric}\t${x.measure}\t${x.limit}`).join('\n') : 'No budgets: steward perf budgets import --from-env');
      });
    }));

  const baseline = perf.command('baseline').description('baselines: status, refresh when stable, roll back');
  const series = (c: Command) => c.requiredOption('--project <key>', 'project key').requiredOption('--metric <name>', 'metric name').option('--measure <name>', 'measure', 'latency').option('--testbed <label>', 'testbed label (needed when the project has several)').option('--branch <name>', 'branch', 'main');
  type SeriesFlags = { project: string; metric: string; measure: string; testbed?: string; branch: string };
  series(baseline.command('status')).action((o: SeriesFlags) => run(async (out) => {
    await withDb(async ({ db }) => {
      const r = await seriesReadiness(db, 'all', o.project, await findSeries(db, 'all', o.project, o));
      out.result(r, r.ready ? 'ready to refresh' : `not ready: ${r.reasons.join('; ')}`);
    });
  }));
  series(baseline.command('refresh')).requiredOption('--note <text>', 'why the baseline moves (required)').action((o: SeriesFlags & { note: string }) => run(async (out) => {
    await withDb(async ({ db }) => {
      const r = await refreshBaseline(db, cliActor(), { project: o.project, key: await findSeries(db, 'all', o.project, o), note: o.note });
      out.result(r, `baseline v${r.version}: ${r.value}`);
    });
  }));
  series(baseline.command('rollback')).requiredOption('--to <version>', 'version to re-point to').requiredOption('--note <text>', 'why (required)').action((o: SeriesFlags & { to: string; note: string }) => run(async (out) => {
    const toVersion = Number(o.to);
    if (!Number.isInteger(toVersion) || toVersion < 1) throw new CliError('--to must be a version number from 1', EXIT.USAGE);
    await withDb(async ({ db }) => {
      const r = await rollbackBaseline(db, cliActor(), { project: o.project, key: await findSeries(db, 'all', o.project, o), toVersion, note: o.note });
      out.result(r, `baseline is v${r.version} again`);
    });
  }));
}
