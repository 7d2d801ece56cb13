/**
 * Chaos results (API `POST /api/v1/chaos-results`, `steward chaos report --report-to`): one upload
 * per file (JSON or JUnit with a tag), one row per scenario. Per scenario over a window: success
 * rate (playbook target > 95 %) and recovery time (target < 30 s, judged on the worst recovery).
 */
import crypto from 'node:crypto';
import { Prisma } from '@/lib/db/generated/client';
import type { Db } from '@/lib/db/client';
import { DEFAULT_CHAOS_TARGETS, judgeChaos, parseChaosFile, SoakParseError, type ChaosVerdict } from '@/lib/engine/soak';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { mayUseProject, requireProject, type ProjectScope } from '../flaky/projects';
import { CLOCK_SKEW_MS, MAX_RUN_AGE_MS, chaosRunSchema, type ChaosRunInput } from './input';

export interface ChaosIngestResult { id: string; duplicate: boolean; project: string; format: 'json' | 'junit'; at: string; scenarios: ChaosVerdict[] }

async function resultOf(db: Db, id: string, duplicate: boolean): Promise<ChaosIngestResult> {
  const r = await db.chaosRun.findUniqueOrThrow({ where: { id }, include: { project: { select: { key: true } }, results: { orderBy: { scenario: 'asc' } } } });
  return { id: r.id, duplicate, project: r.project.key, format: r.format as 'json' | 'junit', at: r.at.toISOString(), scenarios: r.results.map((x) => judgeChaos({ scenario: x.scenario, attempts: x.attempts, passed: x.passed, recoveryMs: x.recoveryMs })) };
}

export async function ingestChaosRun(db: Db, actor: Actor, raw: ChaosRunInput, { now = new Date() }: { now?: Date } = {}): Promise<ChaosIngestResult> {
  const input = chaosRunSchema.safeParse(raw);
  if (!input.success) throw invalid(zodIssues(input.error.issues));
  const body = input.data;
  const project = await requireProject(db, actor, body.project);
  const at = body.at ? new Date(body.at) : now;
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw invalid([{ field: 'at', message: `"${body.at}" is in the future` }]);
  if (at.getTime() < now.getTime() - MAX_RUN_AGE_MS) throw invalid([{ field: 'at', message: `"${body.at}" is more than a year old` }]);
  const format = body.file.content.replace(/^\uFEFF/, '').trimStart().startsWith('<') ? 'junit' : 'json';
  let scenarios;
  try {
    scenarios = parseChaosFile(body.file.name, body.file.content, body.tag);
  } catch (e) {
    if (e instanceof SoakParseError) throw invalid([{ field: `file${e.where ? ` ${e.where}` : ''}`, message: e.message }]);
    throw e;
  }
  const hash = crypto.createHash('sha256').update(JSON.stringify([body.tag ?? null, body.at ?? null, body.file.content])).digest('hex');
  const runKey = body.runKey ?? `sha256:${hash}`;
  const existing = await db.chaosRun.findUnique({ where: { projectId_runKey: { projectId: project.id, runKey } }, select: { id: true, contentHash: true } });
  if (existing) {
    if (existing.contentHash !== hash) throw new ServiceError('conflict', `Run key "${runKey}" was already used for other chaos results; use a new run key.`, [{ field: 'runKey', message: 'already used with another file' }]);
    return resultOf(db, existing.id, true);
  }
  const id = crypto.randomUUID();
  await db.$transaction(async (tx) => {
    try {
      await tx.chaosRun.create({ data: { id, projectId: project.id, runKey, contentHash: hash, format, tag: format === 'junit' ? body.tag ?? 'chaos' : null, at, receivedAt: now, branch: body.branch ?? null, commit: body.commit ?? null, ciUrl: body.ciUrl ?? null, actorLabel: actor.label } });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', 'The same chaos results are being stored by another request; send them again.');
      throw e;
    }
    await tx.chaosResult.createMany({
      data: scenarios.filter((s) => s.attempts > 0).map((s) => {
        const v = judgeChaos(s);
        return { runId: id, projectId: project.id, scenario: s.scenario, at, attempts: s.attempts, passed: s.passed, recoveryMs: s.recoveryMs, recoveryMedianMs: v.recoveryMedianMs, recoveryMaxMs: v.recoveryMaxMs };
      }),
    });
    const bad = scenarios.map((s) => judgeChaos(s)).filter((v) => v.successOk === false || v.recoveryOk === false);
    await recordAudit(tx, actor, {
      at: now, action: 'chaos.ingest', targetType: 'chaos_run', targetId: id,
      summary: `Chaos results for "${project.key}" (${format}): ${scenarios.length} scenario(s)${bad.length ? `, ${bad.length} below target` : ', all on target'}`,
      after: { format, scenarios: scenarios.length, belowTarget: bad.map((b) => b.scenario).slice(0, 20) },
    });
  });
  return resultOf(db, id, false);
}

export interface ChaosScenarioDto extends ChaosVerdict {
  project: string;
  uploads: number;
  lastAt: string;
  targets: { minSuccessRate: number; maxRecoveryMs: number };
}

/** Per (project, scenario) over the last `days` (default 30), worst scenarios first. */
export async function listChaosScenarios(db: Db, scope: ProjectScope, { project, days = 30, now = new Date() }: { project?: string; days?: number; now?: Date } = {}): Promise<ChaosScenarioDto[]> {
  const since = new Date(now.getTime() - Math.min(Math.max(days, 1), 366) * 86_400_000);
  const projectId = project ? (await requireProject(db, scope, project)).id : null;
  const rows = await db.$queryRaw<{ key: string; scenario: string; uploads: number; attempts: number; passed: number; lastAt: Date; med: number | null; max: number | null }[]>(Prisma.sql`
    SELECT p."key", c."scenario", count(*)::int AS uploads, sum(c."attempts")::int AS attempts, sum(c."passed")::int AS passed, max(c."at") AS "lastAt",
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM "chaos_results" c2, unnest(c2."recoveryMs") AS x
             WHERE c2."projectId" = c."projectId" AND c2."scenario" = c."scenario" AND c2."at" >= ${since}) AS med,
           max(c."recoveryMaxMs") AS max
    FROM "chaos_results" c JOIN "projects" p ON p."id" = c."projectId"
    WHERE c."at" >= ${since} ${projectId ? Prisma.sql`AND c."projectId" = ${projectId}` : Prisma.empty}
    GROUP BY c."projectId", p."key", c."scenario" ORDER BY p."key", c."scenario" LIMIT 1000`);
  const t = DEFAULT_CHAOS_TARGETS;
  return rows.filter((r) => mayUseProject(scope, r.key)).map((r) => {
    const rate = r.attempts ? r.passed / r.attempts : null;
    return {
      project: r.key, scenario: r.scenario, uploads: r.uploads, attempts: r.attempts, passed: r.passed, successRate: rate, recoveryMedianMs: r.med, recoveryMaxMs: r.max,
      successOk: rate === null ? null : rate > t.minSuccessRate, recoveryOk: r.max === null ? null : r.max < t.maxRecoveryMs, lastAt: r.lastAt.toISOString(), targets: { ...t },
    };
  }).sort((a, b) => (a.successRate ?? 1) - (b.successRate ?? 1) || a.scenario.localeCompare(b.scenario));
}
