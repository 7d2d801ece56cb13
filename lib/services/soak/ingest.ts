/**
 * Ingest of one soak run (API `POST /api/v1/soak-runs`, `steward soak report --report-to`): parse
 * every file (all or nothing), fit the leak trend and judge each criterion (lib/engine/soak), then
 * store the run, its samples and criteria, the audit row and the notifications — in one
 * transaction. Idempotent on the run key: the same key with the same files is answered with the
 * stored verdicts; the same key with other files is a conflict.
 */
import crypto from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { DEFAULT_LEAK_OPTIONS, DEFAULT_THRESHOLDS, evaluateSoak, mergeSoakFiles, parseSoakFile, SoakParseError, type ParsedSoakFile, type SoakEvaluation, type MergedSoakInput } from '@/lib/engine/soak';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { requireProject } from '../flaky/projects';
import { soakRunDto, type SoakRunResult } from './dto';
import { enqueueSoakEvents, type SoakEventInput } from './events';
import { CLOCK_SKEW_MS, MAX_RUN_AGE_MS, soakRunSchema, type SoakRunBody, type SoakRunInput } from './input';
import { storeSamples } from './store-samples';

export interface AnalysedSoakRun {
  parsed: ParsedSoakFile[];
  merged: MergedSoakInput;
  evaluation: SoakEvaluation;
}

/** Parse and judge without storing (the CLI runs the same). Throws `invalid` naming the file and line. */
export function analyseSoakFiles(body: Pick<SoakRunBody, 'files' | 'thresholds' | 'leak' | 'crashes' | 'orphanOrders' | 'durationHours'>): AnalysedSoakRun {
  const parsed = body.files.map((f, i) => {
    try {
      return parseSoakFile(f.name, f.content);
    } catch (e) {
      if (e instanceof SoakParseError) throw invalid([{ field: `files[${i}]${e.where ? ` ${e.where}` : ''}`, message: e.message }]);
      throw e;
    }
  });
  let merged: MergedSoakInput;
  try {
    merged = mergeSoakFiles(parsed);
  } catch (e) {
    if (e instanceof SoakParseError) throw invalid([{ field: 'files', message: e.message }]);
    throw e;
  }
  const evaluation = evaluateSoak(
    { samples: merged.samples, reported: merged.reported, security: merged.security, counters: { crashes: body.crashes ?? null, orphanOrders: body.orphanOrders ?? null, durationHours: body.durationHours ?? null } },
    body.thresholds ?? {}, body.leak ?? {},
  );
  return { parsed, merged, evaluation };
}

function contentHash(run: SoakRunBody): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify([run.name, run.thresholds ?? null, run.leak ?? null, run.crashes ?? null, run.orphanOrders ?? null, run.durationHours ?? null]));
  for (const f of [...run.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(`\u0000${f.name}\u0000`).update(crypto.createHash('sha256').update(f.content).digest('hex'));
  return h.digest('hex');
}

function checkTimes(startT: number | null, endT: number | null, now: Date): void {
  if (endT !== null && endT > now.getTime() + CLOCK_SKEW_MS) throw invalid([{ field: 'files', message: `the last sample (${new Date(endT).toISOString()}) is in the future (more than 5 minutes after this server's clock, ${now.toISOString()})` }]);
  if (startT !== null && startT < now.getTime() - MAX_RUN_AGE_MS) throw invalid([{ field: 'files', message: `the first sample (${new Date(startT).toISOString()}) is more than a year old; report runs as they happen` }]);
}

export async function ingestSoakRun(db: Db, actor: Actor, raw: SoakRunInput, { now = new Date() }: { now?: Date } = {}): Promise<SoakRunResult> {
  const input = soakRunSchema.safeParse(raw);
  if (!input.success) throw invalid(zodIssues(input.error.issues));
  const run = input.data;
  const project = await requireProject(db, actor, run.project);
  const { parsed, merged, evaluation: ev } = analyseSoakFiles(run);
  // Relative times (seconds since the start) have no date: the run is placed at its arrival.
  const relative = ev.stats.startT !== null && ev.stats.startT < Date.UTC(2000, 0, 1);
  const shift = relative ? now.getTime() - (ev.stats.endT ?? 0) : 0;
  if (!relative) checkTimes(ev.stats.startT, ev.stats.endT, now);
  const hash = contentHash(run);
  const runKey = run.runKey ?? `sha256:${hash}`;
  const existing = await db.soakRun.findUnique({ where: { projectId_runKey: { projectId: project.id, runKey } }, select: { id: true, contentHash: true } });
  if (existing) {
    if (existing.contentHash !== hash) throw new ServiceError('conflict', `Run key "${runKey}" was already used for a soak run with other files; use a new run key.`, [{ field: 'runKey', message: 'already used with other files' }]);
    return soakRunDto(db, existing.id, true);
  }
  const id = crypto.randomUUID();
  const leak = ev.leak;
  const at = (t: number | null) => (t === null ? null : new Date(t + shift));
  const sec = merged.security;
  const failed = ev.criteria.filter((c) => c.status === 'fail');
  await db.$transaction(async (tx) => {
    try {
      await tx.soakRun.create({
        data: {
          id, projectId: project.id, name: run.name, runKey, contentHash: hash, branch: run.branch ?? null, commit: run.commit ?? null, ciUrl: run.ciUrl ?? null,
          startedAt: at(ev.stats.startT) ?? now, endedAt: at(ev.stats.endT), receivedAt: now, actorLabel: actor.label, status: ev.status,
          leakVerdict: leak.verdict, leakSource: leak.source, leakReason: leak.reason,
          slopeMbPerHour: leak.fit?.slopeMbPerHour ?? null, slopeLower: leak.fit?.lowerMbPerHour ?? null, slopeUpper: leak.fit?.upperMbPerHour ?? null, interceptMb: leak.fit?.interceptMb ?? null,
          fitFrom: at(leak.fit?.fromT ?? null), fitTo: at(leak.fit?.toT ?? null), troughSlope: leak.troughSlopeMbPerHour, stepAt: at(leak.step?.t ?? null), stepMb: leak.step?.sizeMb ?? null,
          durationHours: ev.stats.durationHours, sampleCount: merged.samples.length,
          securityCritical: sec?.critical ?? null, securityHigh: sec?.high ?? null, securityMedium: sec?.medium ?? null, securityLow: sec?.low ?? null, securityUnrated: sec?.unrated ?? null,
          auditFindings: merged.findings, settings: { thresholds: { ...DEFAULT_THRESHOLDS, ...(run.thresholds ?? {}) }, leak: { ...DEFAULT_LEAK_OPTIONS, ...(run.leak ?? {}) } },
          stats: JSON.parse(JSON.stringify({ ...ev.stats, startT: at(ev.stats.startT)?.getTime() ?? null, endT: at(ev.stats.endT)?.getTime() ?? null })),
          files: parsed.map((f) => ({ file: f.file, kind: f.kind, format: f.format, samples: f.kind === 'samples' ? f.samples.length : 0, warnings: f.warnings })),
        },
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') throw new ServiceError('conflict', 'The same run is being stored by another request; send it again to read its verdicts.');
      throw e;
    }
    await tx.soakCriterion.createMany({ data: ev.criteria.map((c) => ({ runId: id, criterion: c.id, status: c.status, value: c.value, unit: c.unit, target: c.target, threshold: c.threshold, detail: c.detail.slice(0, 2000) })) });
    await storeSamples(tx, id, merged.samples, shift);
    await recordAudit(tx, actor, {
      at: now, action: 'soak.ingest', targetType: 'soak_run', targetId: id,
      summary: `Soak run "${run.name}" for "${project.key}": ${merged.samples.length} sample(s), leak ${leak.verdict}, ${ev.status}${failed.length ? ` (failed: ${failed.map((c) => c.id).join(', ')})` : ''}`,
      after: { name: run.name, runKey, status: ev.status, leak: leak.verdict, slopeMbPerHour: leak.fit?.slopeMbPerHour ?? null, samples: merged.samples.length },
    });
    const events: SoakEventInput[] = [];
    const base = { project: project.key, runId: id, runName: run.name, failed: failed.map((c) => ({ label: c.label, detail: c.detail })) };
    if (leak.verdict === 'leak') events.push({ ...base, kind: 'leak', summary: leak.reason });
    if (failed.length) events.push({ ...base, kind: 'failed', summary: `${failed.length} of ${ev.criteria.length} success criteria failed: ${failed.map((c) => c.label).join(', ')}` });
    if (events.length) await enqueueSoakEvents(tx, events, now);
  }, { timeout: 120_000, maxWait: 15_000 });
  return soakRunDto(db, id, false);
}
