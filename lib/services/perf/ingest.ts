/**
 * Ingest of one perf run (API `POST /api/v1/perf-results`, `steward perf report|check`): parse
 * every file (all or nothing), judge each metric against its budget and baseline, store the run,
 * its results and verdicts, open or update regressions on the base branch — in one transaction.
 * A re-sent upload (same files and run) is recognised and answered with the stored verdicts.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireProject } from '../flaky/projects';
import { parseRunFiles } from './parse-files';
import { runResultDto, type PerfRunResult } from './run-result';
import { CLOCK_SKEW_MS, MAX_RUN_AGE_MS, perfRunSchema, type PerfRun, type PerfRunInput } from './run-input';
import { ensureMetrics } from './metrics-catalog';
import { insertResults } from './store-results';
import { updateRegressions } from './regressions';
import { normaliseTestbed, ensureTestbed } from './testbeds';
import { judgeMetrics, runStatus } from './verdicts';

function runTime(run: PerfRun, now: Date): Date {
  if (!run.at) return now;
  const at = new Date(run.at);
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalid([{ field: 'at', message: `"${run.at}" is in the future (more than 5 minutes after this server's clock, ${now.toISOString()})` }]);
  if (at.getTime() < now.getTime() - MAX_RUN_AGE_MS) throw invalid([{ field: 'at', message: `"${run.at}" is more than a year old; report runs as they happen` }]);
  return at;
}

/**
 * Same files, same run (CI run id, commit or time) → the same key. A run that names none of them
 * cannot be told from a new run with the same numbers (p95s rounded to 0.1 ms repeat), so it is
 * never taken for a repeat: its key includes when it arrived.
 */
function dedupeKey(run: PerfRun, now: Date): string {
  const h = crypto.createHash('sha256');
  if (!run.ciRunId && !run.commit && !run.at) h.update(`received:${now.toISOString()}:${crypto.randomUUID()}\u0000`);
  h.update(JSON.stringify([run.project, run.profile, run.branch ?? null, run.baseBranch, run.commit ?? null, run.ciRunId ?? null, run.at ?? null, run.testbed, run.format, run.direction ?? null, run.budgets ?? null]));
  for (const f of [...run.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(`\u0000${f.name}\u0000`).update(crypto.createHash('sha256').update(f.content).digest('hex'));
  return h.digest('hex');
}

export async function ingestPerfRun(db: Db, actor: Actor, raw: PerfRunInput, { now = new Date() }: { now?: Date } = {}): Promise<PerfRunResult> {
  const parsedInput = perfRunSchema.safeParse(raw);
  if (!parsedInput.success) throw invalid(zodIssues(parsedInput.error.issues));
  const run = parsedInput.data;
  const project = await requireProject(db, actor, run.project);
  const at = runTime(run, now);
  const parsed = parseRunFiles(run.files, { format: run.format, direction: run.direction });
  const key = dedupeKey(run, now);
  const existing = await db.perfRun.findUnique({ where: { projectId_dedupeKey: { projectId: project.id, dedupeKey: key } }, select: { id: true } });
  if (existing) return runResultDto(db, existing.id, true);

  const runId = crypto.randomUUID();
  await db.$transaction(async (tx) => {
    const attrs = normaliseTestbed(parsed.testbed, run.testbed);
    const testbed = await ensureTestbed(tx, project.id, attrs, now);
    const refs = await ensureMetrics(tx, project.id, parsed.metrics, now);
    const pairs = parsed.metrics.map((m, i) => ({ ref: refs[i]!, parsed: m }));
    const branch = run.branch ?? null;
    const verdicts = await judgeMetrics(tx, { projectId: project.id, profile: run.profile, testbedId: testbed.id, branch, baseBranch: run.baseBranch, overrides: run.budgets }, pairs);
    const status = runStatus(verdicts);
    try {
      await tx.perfRun.create({
        data: {
          id: runId, projectId: project.id, testbedId: testbed.id, profile: run.profile, branch, baseBranch: run.baseBranch, commit: run.commit ?? null,
          ciRunId: run.ciRunId ?? null, ciUrl: run.ciUrl ?? null, at, receivedAt: now, actorLabel: actor.label, files: parsed.files, status, dedupeKey: key,
        },
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', 'The same run is being stored by another request; send it again to read its verdicts.');
      throw e;
    }
    await insertResults(tx, { id: runId, testbedId: testbed.id, branch, profile: run.profile, at }, pairs.map(({ ref, parsed: m }, i) => {
      const v = verdicts[i]!;
      const c = v.comparison;
      return {
        metricId: ref.id, value: m.value, valueKind: m.valueKind, n: m.summary.n === null ? null : Math.min(m.summary.n, 2_147_483_647),
        min: m.summary.min, max: m.summary.max, mean: m.summary.mean, median: m.summary.median, stddev: m.summary.stddev, samples: m.samples ?? [],
        budget: v.budget?.limit ?? null, budgetStatus: v.budget?.status ?? null, baselineId: v.baseline?.id ?? null,
        regression: c?.status ?? null, worsePct: c?.worsePct ?? null, pValue: c?.pValue ?? null, noiseFloorPct: c?.noiseFloorPct ?? null, reason: c?.reason ?? null,
      };
    }));
    if (branch === run.baseBranch) {
      await updateRegressions(tx, { runId, testbedId: testbed.id, testbed: testbed.label, branch, project: project.key, now }, pairs.map((p, i) => ({ metric: p.ref, comparison: verdicts[i]!.comparison })));
    }
    await recordAudit(tx, actor, {
      at: now, action: 'perf.ingest', targetType: 'perf_run', targetId: runId,
      summary: `Perf run for "${project.key}" (${run.profile}${branch ? `, ${branch}` : ''}): ${parsed.metrics.length} metric(s), ${status}`,
      after: { profile: run.profile, branch, commit: run.commit ?? null, testbed: testbed.label, metrics: parsed.metrics.length, status },
    });
  });
  return runResultDto(db, runId, false);
}
