/**
 * `steward sentinel --config deploy/cron/sentinel.yaml`: the seed's Cron Sentinel on a runner.
 * Reads the config (JSON or YAML, the seed's `{"tasks": [{"name", "artifact", "max_age"}]}`),
 * judges each task's artifact on this machine (cli/sentinel/local-files.ts), prints a table or
 * `--json`, and with `--report-to` sends the results to a Steward server (POST
 * /api/v1/sentinel-reports, ingest token) so the checks show on its dashboard.
 *
 * Exit codes (README "Cron: freshness sentinel"): 0 every task fresh; 1 any stale, missing or
 * future-dated; 64 bad usage or config (nothing is checked); 69 the results could not be
 * reported (unreachable, or refused: the message says why) while every task was fresh. A local
 * verdict of 1 wins over 69: the seed's contract ("1: stale or missing") holds whether or not
 * the server is up, and the report failure is still on stderr and in the JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { formatSentinelConfigError, formatSentinelTable, parseSentinelConfig, sanitizeForTerminal, sentinelExitCode, summarizeSentinel, toTaskResult, type SentinelTaskResult } from '@/lib/engine/cron';
import type { Out } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { call, resolveServer } from '../flaky/client';
import { observeLocalArtifact } from '../sentinel/local-files';

type Run = (fn: (out: Out) => Promise<void>) => Promise<void>;

export const SENTINEL_EXIT = { FRESH: 0, NOT_FRESH: 1, USAGE: EXIT.USAGE, UNAVAILABLE: 69 } as const;
/** The server's rule for a source name (lib/services/cron/sentinel-report.ts). */
const SOURCE = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,99}$/;
const bad = (msg: string) => new CliError(msg, SENTINEL_EXIT.USAGE);

interface Flags {
  config: string;
  base?: string;
  now?: string;
  reportTo?: string | true;
  token?: string;
  source?: string;
}

/** The report's outcome, as --json prints it under `report` (null without --report-to). */
type ReportOutcome =
  | { url: string; ok: true; checks: unknown[] }
  | { url: string; ok: false; status: number | null; error: string };

/** The table, a line of why for each task that is not fresh, and the summary. */
function human(results: SentinelTaskResult[]): string {
  const why = results.filter((r) => r.status !== 'fresh').map((r) => `  ${sanitizeForTerminal(r.name, 60)}: ${sanitizeForTerminal(r.reason, 300)}`);
  return [formatSentinelTable(results), '', ...why, ...(why.length ? [''] : []), summarizeSentinel(results)].join('\n');
}

function parseNow(v: string | undefined): Date {
  if (v === undefined) return new Date();
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(d.getTime())) throw bad(`--now must be an ISO 8601 date-time (2026-03-10T12:00:00Z), got ${JSON.stringify(v)}`);
  return d;
}

async function realBase(v: string | undefined): Promise<string> {
  const abs = path.resolve(v ?? process.cwd());
  try {
    const real = await fs.promises.realpath(abs);
    if (!(await fs.promises.stat(real)).isDirectory()) throw bad(`--base ${abs}: not a directory`);
    return real;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw bad(`--base ${abs}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
}

/** The config as text; invalid UTF-8 is refused naming its line, never read as U+FFFD in a task name. */
function decodeUtf8(bytes: Buffer, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Find the first byte the decoder refuses: decode growing prefixes line by line.
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw bad(`${name} line ${line}: not valid UTF-8`);
  }
}

async function readConfig(file: string) {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  const text = decodeUtf8(bytes, path.basename(file));
  const parsed = parseSentinelConfig(text, path.basename(file));
  if (!parsed.ok) throw bad(parsed.errors.map(formatSentinelConfigError).join('\n'));
  return parsed.config;
}

/** Where to report, checked before anything is looked at (a typo in the flags is exit 64, not a half-done run). */
function reportTarget(o: Flags): { url: string; token: string; source: string | undefined } | null {
  if (o.reportTo === undefined) return null;
  const srv = resolveServer({ server: o.reportTo === true ? undefined : o.reportTo, token: o.token });
  if ('error' in srv) throw bad(srv.error.replace('pass --server <url>', 'pass --report-to <url>').replace('--server must', '--report-to must'));
  if (o.source !== undefined && !SOURCE.test(o.source)) throw bad(`--source must be a host or runner name (letters, digits . _ : @ / -; at most 100), got ${JSON.stringify(o.source)}`);
  // Default: this machine's name, when the server would take it (else the server names it after the token).
  const host = os.hostname();
  return { url: `${srv.base}/api/v1/sentinel-reports`, token: srv.token, source: o.source ?? (SOURCE.test(host) ? host : undefined) };
}

async function report(target: { url: string; token: string; source: string | undefined }, results: SentinelTaskResult[]): Promise<ReportOutcome> {
  const body = { ...(target.source ? { source: target.source } : {}), results };
  const r = await call<{ checks?: unknown[] }>(target.url, { method: 'POST', headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) return { url: target.url, ok: false, status: r.status, error: r.status === null ? `${r.error} (the server is unreachable: nothing was reported)` : `report refused: ${r.error}` };
  return { url: target.url, ok: true, checks: Array.isArray(r.data.checks) ? r.data.checks : [] };
}

export function registerSentinelCommand(program: Command, run: Run, setExit: (code: number) => void): void {
  program
    .command('sentinel')
    .description("check that scheduled tasks' artifacts are fresh (the seed's Cron Sentinel); exit 1 when one is not")
    .requiredOption('--config <file>', 'sentinel config, JSON or YAML: {"tasks": [{"name", "artifact", "max_age": "36h"}]}')
    .option('--base <dir>', 'directory the artifact paths are relative to (default: the current directory)')
    .option('--now <iso>', 'judge as of this time instead of the clock (tests, replays)')
    .option('--report-to [url]', 'also send the results to this Steward server (no value: $STEWARD_URL)')
    .option('--token <token>', 'API token with the ingest scope, for --report-to (default: $STEWARD_TOKEN)')
    .option('--source <name>', 'runner name the server records the report under (default: this host name)')
    .addHelpText('after', `
Paths are relative to --base; a glob in the last segment (reports/nightly_*.json) judges the newest matching
regular file; a path whose real path leaves the base is refused (missing, "outside base").
--json prints one object: { ok, exitCode, checkedAt, base, results: [{ name, artifact, path, status, mtime,
ageSeconds, maxAgeSeconds, reason }], report }.
Exit codes: 0 all fresh, 1 any stale, missing or future-dated, 64 bad usage or config, 69 the report failed
(only when every task was fresh: 1 wins).`)
    .action((o: Flags) => run(async (out) => {
      const now = parseNow(o.now);
      const target = reportTarget(o);
      const config = await readConfig(o.config);
      const base = await realBase(o.base);
      const results: SentinelTaskResult[] = [];
      for (const task of config.tasks) {
        const obs = await observeLocalArtifact(base, task.artifact);
        const r = toTaskResult(task, obs.path, obs.mtime, now);
        // The engine says "missing"; the observation says why (outside base, dangling link…).
        results.push(obs.problem ? { ...r, reason: obs.problem } : r);
      }
      const verdict = sentinelExitCode(results);
      const sent = target ? await report(target, results) : null;
      const exitCode = verdict !== SENTINEL_EXIT.FRESH ? verdict : sent && !sent.ok ? SENTINEL_EXIT.UNAVAILABLE : SENTINEL_EXIT.FRESH;
      out.result(
        { ok: exitCode === SENTINEL_EXIT.FRESH, exitCode, checkedAt: now.toISOString(), base, results, report: sent },
        human(results),
      );
      if (sent?.ok) out.info(`reported ${results.length} task(s) to ${sent.url}`);
      if (sent && !sent.ok) process.stderr.write(`steward: ${sent.error}\n`);
      setExit(exitCode);
    }));
}
