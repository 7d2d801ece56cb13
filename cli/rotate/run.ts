/**
 * `steward rotate`: the same engine and the same per-file safety checks as the server, run on the
 * machine where the artifacts are. No database: the run's rotation log record can be sent to a
 * Steward server with --report-to.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBytes } from '@/lib/engine/units';
import { planRetention, protectRotationLog, type Plan, type PlannedAction, type RetentionPolicy } from '@/lib/engine/retention';
import { compressEntry, deleteEntry } from '@/lib/services/retention/fs/act';
import { PinnedUnavailableError } from '@/lib/services/retention/fs/pinned';
import { PinnedRoot, RootPinError } from '@/lib/services/retention/fs/pinned-root';
import { buildRotationRecord } from '@/lib/services/retention/fs/rotation-log';
import { appendRotationLog, checkRotationLog } from '@/lib/services/retention/fs/rotation-log-io';
import { fsErrorMessage, systemRefusal } from '@/lib/services/retention/fs/safety';
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
  const policy = protectRotationLog(flagPolicy);
  const root = resolveRoot(o.path);
  const pinned = pinRoot(root, Boolean(o.dryRun));
  try {
    return await rotatePinned(o, print, now, { root, pinned, policy, source, minQuietMs });
  } finally {
    pinned?.close();
  }
}

/** The real path of --path, refused when it is (or contains) a system directory, missing or not a directory. */
function resolveRoot(given: string): string {
  let root: string;
  try {
    root = fs.realpathSync.native(path.resolve(given));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--path ${path.resolve(given)} does not exist` : `--path ${path.resolve(given)}: ${fsErrorMessage(e)}`, EXIT.FAILED);
  }
  const refused = systemRefusal(root);
  if (refused) throw new CliError(`--path ${root} ${refused}: refusing to rotate it`, EXIT.FAILED);
  if (!fs.statSync(root).isDirectory()) throw new CliError(`--path ${root} is not a directory`, EXIT.FAILED);
  return root;
}

/**
 * Opens the root by descriptor and, for a real run, takes its lock (the server takes the same one):
 * two rotations of one root never run at once. A dry run without descriptor-relative calls still
 * plans (null: the rotation log is then not checked).
 */
function pinRoot(root: string, dryRun: boolean): PinnedRoot | null {
  try {
    const pinned = PinnedRoot.open(root);
    if (!dryRun) {
      try {
        pinned.lock();
      } catch (e) {
        pinned.close();
        throw e;
      }
    }
    return pinned;
  } catch (e) {
    if (e instanceof PinnedUnavailableError && dryRun) return null;
    if (e instanceof RootPinError && e.code === 'busy') throw new CliError(e.message, EXIT.LOCKED);
    if (e instanceof RootPinError || e instanceof PinnedUnavailableError) throw new CliError(e.message, EXIT.FAILED);
    throw e;
  }
}

interface Pinned {
  root: string;
  pinned: PinnedRoot | null;
  policy: RetentionPolicy;
  source: string;
  minQuietMs: number;
}

async function rotatePinned(o: RotateOptions, print: (line: string) => void, now: Date, p: Pinned): Promise<RotateResult> {
  const { root, pinned, policy, source, minQuietMs } = p;
  // A corrupt rotation log is a failure (mm-bot exit 1): scripts that read it would break too.
  if (pinned) {
    try {
      const tail = checkRotationLog(pinned);
      if (tail.torn) print('  warning: the last line of rotation/ROTATION_LOG.jsonl is torn (an interrupted write); it is ignored and will be repaired');
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.FAILED);
    }
  }
  const started = Date.now();
  const { scan, stats } = await scanRoot(root, { expect: pinned?.identity });
  const plan = planRetention(scan, policy, now.getTime());
  print(`${o.dryRun ? 'Dry run: ' : ''}${root} — ${plan.totals.filesScanned} files, ${formatBytes(plan.totals.bytesBefore)}; policy: ${source}`);
  if (o.verbose) print(`  scanned with the ${stats.scanner} walker${pinned ? `; acting through ${pinned.ops.kind === 'native' ? 'the native addon' : '/proc/self/fd'}` : ''}`);
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
    const entry = { path: a.path, size: a.size, mtimeMs: a.mtimeMs, ino: a.ino, ctimeMs: a.ctimeMs };
    const act = pinned as PinnedRoot; // a real run always has one (pinRoot)
    if (a.kind === 'delete') {
      const r = deleteEntry(act, entry, Date.now(), { minQuietMs });
      if (r.status === 'done') freed += a.size;
      results.push({ path: a.path, kind: a.kind, status: r.status, outcome: r.outcome });
    } else {
      const r = await compressEntry(act, entry, Date.now(), { minQuietMs });
      if (r.status === 'done') {
        const saved = Math.max(0, a.size - (r.archiveBytes ?? 0));
        reductionBytes += saved;
        freed += saved;
      }
      results.push({ path: a.path, kind: a.kind, status: r.status, outcome: r.outcome });
    }
    if (o.verbose) print(`  ${results[results.length - 1]!.status.padEnd(7)} ${describe(a)}${results[results.length - 1]!.outcome ? ` [${results[results.length - 1]!.outcome}]` : ''}`);
  }

  const count = (kind: string, status: string) => results.filter((r) => r.kind === kind && r.status === status).length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const after = o.dryRun ? null : (await scanRoot(root, { expect: pinned?.identity })).stats;
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
  if (!o.dryRun && o.log !== false) {
    try {
      const appended = appendRotationLog(pinned as PinnedRoot, record);
      if (appended.repairedBytes > 0) print(`  repaired the torn last line of rotation/ROTATION_LOG.jsonl (${appended.repairedBytes} bytes dropped)`);
      if (appended.rotated) print('  rotation/ROTATION_LOG.jsonl reached its size limit and was moved to ROTATION_LOG.1.jsonl');
    } catch (e) {
      throw new CliError((e as Error).message, EXIT.FAILED);
    }
  }

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
