/**
 * Import of a github-action-benchmark history (`gh-pages` → `dev/bench/data.js`), so a team moves
 * its past over (issue 10): each entry of one benchmark suite becomes a run of the project at the
 * entry's own date and commit, on one branch, profile and testbed.
 *
 * History is stored, not judged: the runs carry their budget verdicts (budgets are per profile and
 * timeless) but no baseline comparison, open no regression and send no notification — comparing a
 * year-old run with today's baseline says nothing, and paging someone about it would be worse.
 * After an import, `steward perf baseline status|refresh` picks a baseline from the imported runs
 * like from any others.
 *
 * All or nothing: one transaction; a bad entry rejects the file naming the entry. Idempotent: an
 * entry already imported (same project, suite, commit, date, branch, profile, testbed) is skipped,
 * so importing a newer data.js adds only what is new. One audit row per import.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { evaluateBudget, parseGabDataJs, PerfParseError, type Direction, type HistoryRun } from '@/lib/engine/perf';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, zodIssues } from '../errors';
import { projectKeySchema, requireProject } from '../flaky/projects';
import { ensureMetrics } from './metrics-catalog';
import { CLOCK_SKEW_MS, MAX_PERF_FILE_CHARS, profileSchema } from './run-input';
import { insertResults, type ResultRow } from './store-results';
import { ensureTestbed, normaliseTestbed } from './testbeds';
import { runStatus } from './verdicts';

/** A data.js of a few years of nightly runs holds a few thousand entries. */
export const MAX_HISTORY_RUNS = 20_000;

const line = (max: number) => z.string().trim().max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const historyImportSchema = z.object({
  project: projectKeySchema,
  profile: profileSchema.default('main'),
  branch: line(200).min(1, 'is required').default('main'),
  /** The suite (a key of `entries`) to import; needed when the file holds several. */
  suite: line(300).min(1, 'is required').optional(),
  testbed: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'testbed keys are lowercase words (cpu, cores, os, runner)'), line(200)).refine((t) => Object.keys(t).length <= 20, 'at most 20 testbed attributes').default({}),
  file: z.object({ name: line(300).min(1, 'is required'), content: z.string().max(MAX_PERF_FILE_CHARS, `must be at most ${MAX_PERF_FILE_CHARS} characters`) }),
});
export type HistoryImportInput = z.input<typeof historyImportSchema>;

export interface HistoryImportResult {
  project: string;
  suite: string;
  branch: string;
  profile: string;
  testbed: string;
  /** Entries in the suite, runs created now, entries already imported before. */
  entries: number;
  imported: number;
  skipped: number;
  metrics: number;
  from: string | null;
  to: string | null;
  warnings: string[];
}

function pickSuite(runs: HistoryRun[], file: string, wanted: string | undefined): string {
  const suites = [...new Set(runs.map((r) => r.suite))].sort();
  if (wanted !== undefined) {
    if (!suites.includes(wanted)) throw invalid([{ field: 'suite', message: `"${wanted}" is not in ${file}; it has ${suites.map((s) => JSON.stringify(s)).join(', ') || 'no suites'}` }]);
    return wanted;
  }
  if (suites.length === 1) return suites[0]!;
  if (!suites.length) throw invalid([{ field: 'file', message: `${file} holds no benchmark entries` }]);
  throw invalid([{ field: 'suite', message: `${file} holds ${suites.length} suites (${suites.map((s) => JSON.stringify(s)).join(', ')}); say which one to import` }]);
}

function entryKey(parts: { project: string; profile: string; branch: string; testbed: string; suite: string; commit: string; at: number }): string {
  return crypto.createHash('sha256').update(JSON.stringify(['gab-history', parts.project, parts.profile, parts.branch, parts.testbed, parts.suite, parts.commit, parts.at])).digest('hex');
}

export async function importPerfHistory(db: Db, actor: Actor, raw: HistoryImportInput, { now = new Date() }: { now?: Date } = {}): Promise<HistoryImportResult> {
  const p = historyImportSchema.safeParse(raw);
  if (!p.success) throw invalid(zodIssues(p.error.issues));
  const input = p.data;
  const project = await requireProject(db, actor, input.project);
  let all: HistoryRun[];
  try {
    all = parseGabDataJs(input.file.name, input.file.content);
  } catch (e) {
    if (e instanceof PerfParseError) throw invalid([{ field: 'file', message: e.message }]);
    throw e;
  }
  const suite = pickSuite(all, input.file.name, input.suite);
  const runs = all.filter((r) => r.suite === suite);
  if (runs.length > MAX_HISTORY_RUNS) throw invalid([{ field: 'file', message: `${input.file.name}: suite "${suite}" holds ${runs.length} entries; at most ${MAX_HISTORY_RUNS} are imported at once` }]);
  const future = runs.find((r) => r.at > now.getTime() + CLOCK_SKEW_MS);
  if (future) throw invalid([{ field: 'file', message: `${input.file.name}: the entry for commit ${future.commit} is dated ${new Date(future.at).toISOString()}, after this server's clock (${now.toISOString()})` }]);
  // github-action-benchmark runs on CI runners it does not describe: say so in the testbed.
  const attrs = normaliseTestbed({}, Object.keys(input.testbed).length ? input.testbed : { runner: 'github-action-benchmark' });

  const result = await db.$transaction(async (tx) => {
    // Two imports of one file at once: the later one waits here, then finds every entry stored. (NO KEY
    // UPDATE: ingests, whose foreign keys take KEY SHARE on the project, are not blocked.)
    await tx.$queryRaw`SELECT "id" FROM "projects" WHERE "id" = ${project.id} FOR NO KEY UPDATE`;
    const testbed = await ensureTestbed(tx, project.id, attrs, now);
    const keyOf = (r: HistoryRun) => entryKey({ project: project.key, profile: input.profile, branch: input.branch, testbed: testbed.label, suite, commit: r.commit, at: r.at });
    const keyed = runs.map((r) => ({ r, key: keyOf(r) }));
    const existing = new Set((await tx.perfRun.findMany({ where: { projectId: project.id, dedupeKey: { in: keyed.map((k) => k.key) } }, select: { dedupeKey: true } })).map((r) => r.dedupeKey));
    const freshKeyed = keyed.filter((k) => !existing.has(k.key));
    const fresh = freshKeyed.map((k) => k.r);
    const metricSet = new Map(fresh.flatMap((r) => r.metrics).map((m) => [`${m.name}\u0000${m.measure}`, m]));
    const refs = metricSet.size ? await ensureMetrics(tx, project.id, [...metricSet.values()], now) : [];
    const refOf = new Map(refs.map((r) => [`${r.name}\u0000${r.measure}`, r]));
    const budgets = await tx.perfBudget.findMany({ where: { projectId: project.id, profile: input.profile }, select: { metric: true, measure: true, limit: true } });
    const limitOf = new Map(budgets.map((b) => [`${b.metric}\u0000${b.measure}`, b.limit]));
    for (const { r, key } of freshKeyed) {
      const id = crypto.randomUUID();
      const at = new Date(r.at);
      const rows: ResultRow[] = [];
      const verdicts = r.metrics.map((m) => {
        const ref = refOf.get(`${m.name}\u0000${m.measure}`)!;
        const limit = limitOf.get(`${m.name}\u0000${m.measure}`);
        const budget = limit === undefined ? null : evaluateBudget(m.value, limit, ref.direction as Direction, null);
        rows.push({
          metricId: ref.id, value: m.value, valueKind: m.valueKind, n: m.summary.n === null ? null : Math.min(m.summary.n, 2_147_483_647), min: m.summary.min, max: m.summary.max,
          mean: m.summary.mean, median: m.summary.median, stddev: m.summary.stddev, samples: m.samples ?? [], budget: budget?.limit ?? null, budgetStatus: budget?.status ?? null,
          baselineId: null, regression: null, worsePct: null, pValue: null, noiseFloorPct: null, reason: null,
        });
        return { budget, baseline: null, comparison: null };
      });
      await tx.perfRun.create({
        data: {
          id, projectId: project.id, testbedId: testbed.id, profile: input.profile, branch: input.branch, baseBranch: input.branch, commit: r.commit, ciRunId: null, ciUrl: null,
          at, receivedAt: now, actorLabel: actor.label, files: [{ file: `${input.file.name} (${suite})`, format: 'gab-datajs', metrics: r.metrics.length, warnings: r.warnings }], status: runStatus(verdicts), dedupeKey: key,
        },
      });
      await insertResults(tx, { id, testbedId: testbed.id, branch: input.branch, profile: input.profile, at }, rows);
    }
    const summary: HistoryImportResult = {
      project: project.key, suite, branch: input.branch, profile: input.profile, testbed: testbed.label, entries: runs.length, imported: fresh.length, skipped: runs.length - fresh.length,
      metrics: metricSet.size, from: fresh.length ? new Date(fresh[0]!.at).toISOString() : null, to: fresh.length ? new Date(fresh.at(-1)!.at).toISOString() : null,
      warnings: [...new Set(fresh.flatMap((r) => r.warnings))].slice(0, 20),
    };
    await recordAudit(tx, actor, {
      at: now, action: 'perf.import', targetType: 'project', targetId: project.id,
      summary: `Imported ${summary.imported} historical run(s) of "${suite}" into "${project.key}" (${input.profile}, ${input.branch}, ${testbed.label})${summary.skipped ? `; ${summary.skipped} already there` : ''}`,
      after: { suite, profile: input.profile, branch: input.branch, testbed: testbed.label, imported: summary.imported, skipped: summary.skipped, from: summary.from, to: summary.to },
    });
    return summary;
  }, { timeout: 120_000 });
  return result;
}
