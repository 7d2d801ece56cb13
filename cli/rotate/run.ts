/**
 * `steward rotate`: the same engine and the same per-file safety checks as the server, run on the
 * machine where the artifacts are. No database: the run's rotation log record can be sent to a
 * Steward server with --report-to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBytes } from '@/lib/engine/units';
import { planRetention, ROTATION_LOG_PATH, type Plan, type PlannedAction } from '@/lib/engine/retention';
import { compressToArchive, deleteEntry, finishCompression, recheck } from '@/lib/services/retention/fs/act';
import { appendRotationLog, buildRotationRecord, readRotationLog } from '@/lib/services/retention/fs/rotation-log';
import { scanRoot } from '@/lib/services/retention/fs/scan';
import { CliError, EXIT } from '../exit-codes';
import { policyForFlags, type RotateFlags } from './policy';

export interface RotateOptions extends RotateFlags {
  dryRun?: boolean;
  verbose?: boolean;
  log?: boolean;
  minQuiet?: string;
  reportTo?: string;
  token?: string;
}

export interface RotateResult {
  exitCode: number;
  record: ReturnType<typeof buildRotationRecord>;
  plan: Plan['totals'];
  policySource: string;
  results: { path: string; kind: string; status: string; outcome?: string }[];
  report: { sent: boolean; id?: string; error?: string } | null;
}

function describe(a: PlannedAction): string {
  return `${a.kind === 'delete' ? 'delete  ' : 'compress'} ${a.path} (${formatBytes(a.size)}) — ${a.reason}`;
}

export async function runRotate(o: RotateOptions, print: (line: string) => void, now = new Date()): Promise<RotateResult> {
  // Flags first: a bad flag is a usage error (64) whatever the state of the path.
  const { policy: flagPolicy, source } = policyForFlags(o);
  const minQuietMs = o.minQuiet === undefined ? 60_000 : Number(o.minQuiet) * 1000;
  if (!Number.isFinite(minQuietMs) || minQuietMs < 0) throw new CliError(`--min-quiet: "${o.minQuiet}" is not a number of seconds`, EXIT.USAGE);
  // This command writes the rotation log, so no policy (e.g. a donna config) may delete it.
  const policy = flagPolicy.protect.some((p) => p.match === ROTATION_LOG_PATH)
    ? flagPolicy
    : { ...flagPolicy, protect: [...flagPolicy.protect, { id: 'rotation-log', match: ROTATION_LOG_PATH, reason: 'rotation log' }] };
  const root = path.resolve(o.path);
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--path ${root} does not exist` : code === 'EACCES' ? `--path ${root}: permission denied` : `--path ${root}: ${(e as Error).message}`, EXIT.FAILED);
  }
  if (!st.isDirectory()) throw new CliError(`--path ${root} is not a directory`, EXIT.FAILED);
  const logFile = path.join(root, ROTATION_LOG_PATH);
  // A corrupt rotation log is a failure (mm-bot exit 1): scripts that read it would break too.
  if (fs.existsSync(logFile)) {
    try {
      readRotationLog(logFile);
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.FAILED);
    }
  }
  const started = Date.now();
  const { scan, stats } = await scanRoot(root);
  const plan = planRetention(scan, policy, now.getTime());
  print(`${o.dryRun ? 'Dry run: ' : ''}${root} — ${plan.totals.filesScanned} files, ${formatBytes(plan.totals.bytesBefore)}; policy: ${source}`);
  if (o.verbose) print(`  scanned with the ${stats.scanner} walker`);
  for (const err of scan.errors) print(`  unreadable: ${err.path}: ${err.message}`);
  for (const w of plan.warnings) print(`  warning: ${w}`);

  const results: RotateResult['results'] = [];
  let reductionBytes = 0;
  let freed = 0;
  for (const a of plan.eachAction()) {
    if (o.dryRun) {
      if (o.verbose) print(`  would ${describe(a)}`);
      continue;
    }
    const entry = { path: a.path, size: a.size, mtimeMs: a.mtimeMs };
    const check = recheck(root, entry, Date.now(), { minQuietMs });
    if (!check.ok) {
      results.push({ path: a.path, kind: a.kind, status: 'skipped', outcome: check.reason });
      continue;
    }
    if (a.kind === 'delete') {
      const r = await deleteEntry(root, entry);
      if (r.status === 'done') freed += a.size;
      results.push({ path: a.path, kind: a.kind, status: r.status, outcome: r.outcome });
    } else {
      const arch = await compressToArchive(root, entry, `cli${process.pid}`);
      if (arch.status !== 'archived') {
        results.push({ path: a.path, kind: a.kind, status: arch.status === 'skipped' ? 'skipped' : 'failed', outcome: arch.outcome });
        continue;
      }
      const fin = await finishCompression(root, entry, arch.archivePath ?? `${a.path}.tar.gz`);
      if (fin.status === 'done') {
        const saved = Math.max(0, a.size - (arch.archiveBytes ?? 0));
        reductionBytes += saved;
        freed += saved;
      }
      results.push({ path: a.path, kind: a.kind, status: fin.status === 'done' ? 'done' : 'failed', outcome: fin.outcome });
    }
    if (o.verbose) print(`  ${results[results.length - 1]!.status.padEnd(7)} ${describe(a)}${results[results.length - 1]!.outcome ? ` [${results[results.length - 1]!.outcome}]` : ''}`);
  }

  const count = (kind: string, status: string) => results.filter((r) => r.kind === kind && r.status === status).length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const after = o.dryRun ? null : (await scanRoot(root)).stats;
  const sizeAfter = after ? after.rootBytes : plan.totals.bytesAfter;
  const withinLimit = plan.totals.maxSizeBytes === null || sizeAfter <= plan.totals.maxSizeBytes;
  const record = buildRotationRecord({
    timestamp: now,
    deleted: o.dryRun ? plan.totals.filesToDelete : count('delete', 'done'),
    kept: plan.keptCount + skipped + failed,
    compressed: o.dryRun ? plan.totals.filesToCompress : count('compress', 'done'),
    totalReductionKb: (o.dryRun ? plannedReduction(plan) : reductionBytes) / 1024,
    sizeMb: sizeAfter / (1024 * 1024),
    withinLimit,
    bytesFreed: o.dryRun ? plan.totals.bytesFreed : freed,
    failures: failed,
    skipped,
    durationMs: Date.now() - started,
    dryRun: Boolean(o.dryRun),
  });
  if (!o.dryRun && o.log !== false) appendRotationLog(root, record);

  print(
    o.dryRun
      ? `Would delete ${plan.totals.filesToDelete} and compress ${plan.totals.filesToCompress} files, freeing ${formatBytes(plan.totals.bytesFreed)}; size after ${formatBytes(plan.totals.bytesAfter)}${plan.totals.maxSizeBytes !== null ? ` of ${formatBytes(plan.totals.maxSizeBytes)}` : ''}.`
      : `Deleted ${count('delete', 'done')}, compressed ${count('compress', 'done')}, skipped ${skipped}, failed ${failed}; freed ${formatBytes(freed)}; size now ${formatBytes(sizeAfter)}${plan.totals.maxSizeBytes !== null ? ` of ${formatBytes(plan.totals.maxSizeBytes)}` : ''}.`,
  );
  for (const r of results.filter((x) => x.status !== 'done')) print(`  ${r.status}: ${r.path}: ${r.outcome ?? ''}`);
  if (!withinLimit) print(`Still over the size threshold (${formatBytes(sizeAfter)} > ${formatBytes(plan.totals.maxSizeBytes ?? 0)}).`);

  let report: RotateResult['report'] = null;
  if (o.reportTo) report = await sendReport(o.reportTo, o.token, root, Boolean(o.dryRun), record, after);
  if (report?.error) print(`warning: report to ${o.reportTo} failed: ${report.error}`);

  // Unreadable entries are a failure too (mm-bot: permission denied exits 1): the rest is still
  // rotated, but files the run could not see may be what keeps the root over its cap.
  if (scan.errors.length > 0) print(`${scan.errors.length} ${scan.errors.length === 1 ? 'entry' : 'entries'} could not be read (listed above as unreadable).`);
  const exitCode = failed > 0 || scan.errors.length > 0 ? EXIT.FAILED : withinLimit ? EXIT.OK : EXIT.OVER_THRESHOLD;
  return { exitCode, record, plan: plan.totals, policySource: source, results, report };
}

async function sendReport(url: string, token: string | undefined, root: string, dryRun: boolean, record: ReturnType<typeof buildRotationRecord>, after: { rootBytes: number; fileCount: number; fsBytes: number; fsFree: number } | null): Promise<NonNullable<RotateResult['report']>> {
  if (!token) return { sent: false, error: 'no token: pass --token or set STEWARD_TOKEN' };
  const endpoint = new URL('/api/v1/rotation-runs', url).toString();
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ host: os.hostname(), path: root, dry_run: dryRun, record, ...(after ? { disk: { root_bytes: after.rootBytes, file_count: after.fileCount, fs_bytes: after.fsBytes, fs_free: after.fsFree } } : {}) }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: { message?: string } };
    if (!res.ok) return { sent: false, error: `HTTP ${res.status}: ${body.error?.message ?? res.statusText}` };
    return { sent: true, id: body.id };
  } catch (e) {
    return { sent: false, error: (e as Error).message };
  }
}

/** Bytes the plan's compressions are expected to free (the dry run's total_reduction_kb). */
function plannedReduction(plan: Plan): number {
  let sum = 0;
  for (const a of plan.eachAction()) if (a.kind === 'compress') sum += a.bytesFreed;
  return sum;
}
