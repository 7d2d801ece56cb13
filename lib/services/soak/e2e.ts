/**
 * E2E runs from `events.jsonl` (API `POST /api/v1/e2e-runs`, `steward e2e summarize --report-to`):
 * each pipeline (and `run_id`) in the file is one run with its steps, last successful step, failing
 * step and error. Success rate per pipeline over a window (playbook target > 98 %).
 */
import crypto from 'node:crypto';
import { Prisma } from '@/lib/db/generated/client';
import type { Db } from '@/lib/db/client';
import { parseE2eEvents, type E2eOutcome, type E2eRunSummary } from '@/lib/engine/soak';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { mayUseProject, requireProject, type ProjectScope } from '../flaky/projects';
import { CLOCK_SKEW_MS, e2eRunSchema, type E2eRunInput } from './input';

export const E2E_TARGET = 0.98;

export interface E2eRunDto {
  id: string;
  project: string;
  pipeline: string;
  externalId: string | null;
  outcome: E2eOutcome;
  startedAt: string;
  endedAt: string | null;
  lastSuccessfulStep: string | null;
  failingStep: string | null;
  error: string | null;
  stepCount: number;
  okSteps: number;
  steps: E2eRunSummary['steps'];
  branch: string | null;
  commit: string | null;
}

export interface E2eIngestResult { duplicate: boolean; runs: E2eRunDto[]; warnings: string[] }

type Row = Prisma.E2eRunGetPayload<{ include: { project: { select: { key: true } } } }>;
function dto(r: Row): E2eRunDto {
  return {
    id: r.id, project: r.project.key, pipeline: r.pipeline, externalId: r.externalId, outcome: r.outcome as E2eOutcome, startedAt: r.startedAt.toISOString(), endedAt: r.endedAt?.toISOString() ?? null,
    lastSuccessfulStep: r.lastSuccessfulStep, failingStep: r.failingStep, error: r.error, stepCount: r.stepCount, okSteps: r.okSteps, steps: r.steps as unknown as E2eRunSummary['steps'], branch: r.branch, commit: r.commit,
  };
}

export async function ingestE2eRun(db: Db, actor: Actor, raw: E2eRunInput, { now = new Date() }: { now?: Date } = {}): Promise<E2eIngestResult> {
  const input = e2eRunSchema.safeParse(raw);
  if (!input.success) throw invalid(zodIssues(input.error.issues));
  const body = input.data;
  const project = await requireProject(db, actor, body.project);
  const parsed = parseE2eEvents(body.file.content, { pipeline: body.pipeline });
  if (parsed.errors.length) throw invalid(parsed.errors.map((e) => ({ field: `file line ${e.line}`, message: `${body.file.name}: line ${e.line}: ${e.message}` })));
  if (!parsed.runs.length) throw invalid([{ field: 'file', message: `${body.file.name}: no events` }]);
  for (const r of parsed.runs) if (r.endT !== null && r.endT > now.getTime() + CLOCK_SKEW_MS) throw invalid([{ field: 'file', message: `${body.file.name}: events dated ${new Date(r.endT).toISOString()}, in the future` }]);
  const hash = crypto.createHash('sha256').update(JSON.stringify([body.pipeline, body.file.content])).digest('hex');
  const keyOf = (r: E2eRunSummary) => `${body.runKey ?? `sha256:${hash}`} ${r.pipeline}${r.runId === null ? '' : ` ${r.runId}`}`;
  const keys = parsed.runs.map(keyOf);
  const existing = await db.e2eRun.findMany({ where: { projectId: project.id, runKey: { in: keys } }, include: { project: { select: { key: true } } } });
  if (existing.length) {
    if (existing.length !== keys.length || existing.some((e) => e.contentHash !== hash)) throw new ServiceError('conflict', `Run key "${body.runKey ?? ''}" was already used for another events file; use a new run key.`, [{ field: 'runKey', message: 'already used with another file' }]);
    return { duplicate: true, runs: keys.map((k) => dto(existing.find((e) => e.runKey === k)!)), warnings: parsed.warnings };
  }
  const ids = parsed.runs.map(() => crypto.randomUUID());
  await db.$transaction(async (tx) => {
    try {
      await tx.e2eRun.createMany({
        data: parsed.runs.map((r, i) => ({
          id: ids[i]!, projectId: project.id, pipeline: r.pipeline, externalId: r.runId, runKey: keys[i]!, contentHash: hash, outcome: r.outcome,
          startedAt: new Date(r.startT ?? now.getTime()), endedAt: r.endT === null ? null : new Date(r.endT), receivedAt: now,
          lastSuccessfulStep: r.lastSuccessfulStep, failingStep: r.failingStep, error: r.error, stepCount: r.steps.length, okSteps: r.steps.filter((s) => s.status === 'ok').length,
          steps: JSON.parse(JSON.stringify(r.steps)), branch: body.branch ?? null, commit: body.commit ?? null, ciUrl: body.ciUrl ?? null, actorLabel: actor.label,
        })),
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', 'The same events file is being stored by another request; send it again.');
      throw e;
    }
    await recordAudit(tx, actor, {
      at: now, action: 'e2e.ingest', targetType: 'e2e_run', targetId: ids[0]!,
      summary: `E2E events for "${project.key}": ${parsed.runs.map((r) => `${r.pipeline} ${r.outcome}${r.failingStep ? ` at ${r.failingStep}` : ''}`).join(', ')}`.slice(0, 500),
      after: { runs: parsed.runs.map((r) => ({ pipeline: r.pipeline, outcome: r.outcome, failingStep: r.failingStep })) },
    });
  });
  const rows = await db.e2eRun.findMany({ where: { id: { in: ids } }, include: { project: { select: { key: true } } } });
  return { duplicate: false, runs: ids.map((id) => dto(rows.find((r) => r.id === id)!)), warnings: parsed.warnings };
}

export interface E2ePipelineDto {
  project: string;
  pipeline: string;
  runs: number;
  passed: number;
  /** passed / runs over the window; incomplete runs count as not passed. */
  successRate: number | null;
  target: number;
  meetsTarget: boolean | null;
  lastRun: { id: string; outcome: E2eOutcome; startedAt: string; lastSuccessfulStep: string | null; failingStep: string | null; error: string | null } | null;
  lastFailure: { id: string; startedAt: string; failingStep: string | null; error: string | null; lastSuccessfulStep: string | null } | null;
}

/** Per pipeline over the last `days` (default 30): runs, success rate, last run and last failure. */
export async function listE2ePipelines(db: Db, scope: ProjectScope, { project, days = 30, now = new Date() }: { project?: string; days?: number; now?: Date } = {}): Promise<E2ePipelineDto[]> {
  const since = new Date(now.getTime() - Math.min(Math.max(days, 1), 366) * 86_400_000);
  const projectId = project ? (await requireProject(db, scope, project)).id : null;
  const rows = await db.$queryRaw<{ projectId: string; key: string; pipeline: string; runs: number; passed: number }[]>(Prisma.sql`
    SELECT r."projectId", p."key", r."pipeline", count(*)::int AS runs, count(*) FILTER (WHERE r."outcome" = 'pass')::int AS passed
    FROM "e2e_runs" r JOIN "projects" p ON p."id" = r."projectId"
    WHERE r."startedAt" >= ${since} ${projectId ? Prisma.sql`AND r."projectId" = ${projectId}` : Prisma.empty}
    GROUP BY 1, 2, 3 ORDER BY 2, 3 LIMIT 500`);
  const visible = rows.filter((r) => mayUseProject(scope, r.key));
  const out: E2ePipelineDto[] = [];
  for (const r of visible) {
    // One after another: a handful of pipelines per project.
    const last = await db.e2eRun.findFirst({ where: { projectId: r.projectId, pipeline: r.pipeline }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
    const fail = await db.e2eRun.findFirst({ where: { projectId: r.projectId, pipeline: r.pipeline, outcome: { not: 'pass' } }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] });
    const rate = r.runs ? r.passed / r.runs : null;
    out.push({
      project: r.key, pipeline: r.pipeline, runs: r.runs, passed: r.passed, successRate: rate, target: E2E_TARGET, meetsTarget: rate === null ? null : rate > E2E_TARGET,
      lastRun: last && { id: last.id, outcome: last.outcome as E2eOutcome, startedAt: last.startedAt.toISOString(), lastSuccessfulStep: last.lastSuccessfulStep, failingStep: last.failingStep, error: last.error },
      lastFailure: fail && { id: fail.id, startedAt: fail.startedAt.toISOString(), failingStep: fail.failingStep, error: fail.error, lastSuccessfulStep: fail.lastSuccessfulStep },
    });
  }
  return out;
}

/** The latest runs of one pipeline (or all), newest first. */
export async function listE2eRuns(db: Db, scope: ProjectScope, { project, pipeline, limit = 50 }: { project: string; pipeline?: string; limit?: number }): Promise<E2eRunDto[]> {
  const p = await requireProject(db, scope, project);
  const rows = await db.e2eRun.findMany({ where: { projectId: p.id, ...(pipeline ? { pipeline } : {}) }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: Math.min(Math.max(limit, 1), 200), include: { project: { select: { key: true } } } });
  return rows.map(dto);
}
