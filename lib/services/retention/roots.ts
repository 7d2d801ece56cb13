/** Artifact roots: register (inside allowed bases only), edit policy and schedule, list with state. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/generated/client';
import { cronExpressionProblem, CRON_HINT } from '@/lib/engine/cron-expression';
import { parsePolicy, presetPolicy, PRESETS, serializePolicy, type PolicyDocument, type RetentionPolicy } from '@/lib/engine/retention';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';
import { checkAllowedRoot } from './fs/safety';

export const SERVER_HOST = 'server';

/** Allowed base directories: STEWARD_ARTIFACT_BASES (colon-separated) or <data dir>/artifacts. */
export function allowedBases(env: { STEWARD_ARTIFACT_BASES?: string; dataDir: string }): string[] {
  const raw = env.STEWARD_ARTIFACT_BASES?.split(':').map((s) => s.trim()).filter(Boolean);
  return raw?.length ? raw.map((p) => path.resolve(p)) : [path.join(env.dataDir, 'artifacts')];
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timezoneSchema = z.string().trim().max(64).refine(isTimeZone, 'is not an IANA time zone (e.g. UTC, Europe/Berlin)');

/**
 * Steward's message for a bad schedule, or null. The syntax check names the field and the problem
 * (`"61 * * * *": minute must be 0–59`); croner then confirms it can run it in the time zone and
 * that it ever fires. Never the library's own text ("CronPattern: …").
 */
export function validateSchedule(expr: string | null | undefined, timezone = 'UTC'): string | null {
  if (!expr?.trim()) return null;
  const problem = cronExpressionProblem(expr);
  if (problem) return problem;
  const q = JSON.stringify(expr.trim());
  let next: Date | null;
  try {
    // nextRun() is what exercises the time zone; the constructor alone accepts any name.
    next = new Cron(expr.trim(), { paused: true, timezone }).nextRun();
  } catch {
    return `${q} is not a cron expression Steward can run (${CRON_HINT})`;
  }
  return next ? null : `${q} never fires: no date matches it (e.g. 30 February)`;
}

const scheduleFields = {
  schedule: z.string().trim().max(100).nullable().optional(),
  scheduleMode: z.enum(['approve', 'auto']).default('approve'),
  timezone: timezoneSchema.default('UTC'),
};

export const newRootSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(80).regex(/^[\w .-]+$/, 'may contain letters, digits, spaces, ".", "_" and "-"'),
  path: z.string().trim().min(1, 'is required').refine((p) => path.isAbsolute(p), 'must be an absolute path'),
  presetId: z.enum(PRESETS.map((p) => p.id) as [string, ...string[]]).optional(),
  policy: z.unknown().optional(),
  writeRotationLog: z.boolean().default(true),
  ...scheduleFields,
});

function policyOrThrow(input: { presetId?: string; policy?: unknown }): { policy: RetentionPolicy; doc: PolicyDocument } {
  if (input.policy !== undefined) {
    const parsed = parsePolicy(input.policy);
    if (!parsed.ok) throw invalid(parsed.errors.map((e) => ({ field: `policy.${e.path}`, message: e.message })));
    return { policy: parsed.policy, doc: serializePolicy(parsed.policy) };
  }
  const policy = presetPolicy(input.presetId ?? 'ci-main');
  return { policy, doc: serializePolicy(policy) };
}

function scheduleOrThrow(schedule: string | null | undefined, timezone: string): void {
  const problem = validateSchedule(schedule, timezone);
  if (problem) throw invalid([{ field: 'schedule', message: problem }]);
}

/** Advisory lock key of root registration (users.ts holds 727073691–2). */
const REGISTER_LOCK_KEY = 727073701;

/** True when `inner` is `outer` or lies under it, by whole path segments (/a/b is not under /a/bc). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p; // gone since it was registered: its stored real path still counts
  }
}

/**
 * The message for the first registered root that `realPath` would overlap (inside it or around
 * it), or null. Two roots over the same files would put two policies on them. Each registered root
 * is compared by its stored real path and by its real path now (a parent may have been moved).
 */
export function overlappingRoot(realPath: string, roots: { name: string; path: string }[]): string | null {
  for (const r of roots) {
    for (const other of new Set([r.path, realOrSelf(r.path)])) {
      if (isSameOrInside(realPath, other)) return `${realPath} is inside root "${r.name}" (${r.path}); two roots may not cover the same files`;
      if (isSameOrInside(other, realPath)) return `${realPath} contains root "${r.name}" (${r.path}); two roots may not cover the same files`;
    }
  }
  return null;
}

export async function registerRoot(db: Db, actor: Actor, raw: z.input<typeof newRootSchema>, opts: { allowedBases: string[]; now?: Date }) {
  const now = opts.now ?? new Date();
  const parsed = newRootSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const input = parsed.data;
  const allowed = checkAllowedRoot(input.path, opts.allowedBases);
  if (!allowed.ok) throw invalid([{ field: 'path', message: allowed.reason }]);
  scheduleOrThrow(input.schedule, input.timezone);
  const { doc } = policyOrThrow(input);
  return db.$transaction(async (tx) => {
    // One registration at a time: two overlapping roots registered at once would each see no other.
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${REGISTER_LOCK_KEY})`);
    const clash = await tx.artifactRoot.findFirst({ where: { OR: [{ name: input.name }, { path: allowed.realPath }] } });
    if (clash) throw new ServiceError('conflict', clash.name === input.name ? `A root named "${input.name}" already exists` : `${allowed.realPath} is already registered as "${clash.name}"`);
    const overlap = overlappingRoot(allowed.realPath, await tx.artifactRoot.findMany({ select: { name: true, path: true } }));
    if (overlap) throw new ServiceError('conflict', overlap, [{ field: 'path', message: overlap }]);
    const root = await tx.artifactRoot.create({
      data: {
        id: crypto.randomUUID(),
        name: input.name,
        path: allowed.realPath,
        dev: allowed.dev,
        ino: allowed.ino,
        policy: doc as unknown as Prisma.InputJsonValue,
        presetId: input.policy === undefined ? (input.presetId ?? 'ci-main') : null,
        schedule: input.schedule || null,
        scheduleMode: input.scheduleMode,
        timezone: input.timezone,
        writeRotationLog: input.writeRotationLog,
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordAudit(tx, actor, { at: now, action: 'retention.root.create', targetType: 'artifact-root', targetId: root.id, summary: `Registered root "${root.name}" at ${root.path}`, after: { path: root.path, policy: doc, schedule: root.schedule } });
    return root;
  });
}

export const updateRootSchema = z.object({
  rootId: z.string().min(1),
  presetId: z.string().optional(),
  policy: z.unknown().optional(),
  writeRotationLog: z.boolean().optional(),
  schedule: scheduleFields.schedule,
  scheduleMode: z.enum(['approve', 'auto']).optional(),
  timezone: timezoneSchema.optional(),
});

/**
 * Changes policy and/or schedule. A policy change bumps policyVersion and invalidates every draft
 * or approved plan of the root: they were computed under rules that no longer hold.
 */
export async function updateRoot(db: Db, actor: Actor, raw: z.input<typeof updateRootSchema>, now = new Date()) {
  const parsed = updateRootSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const input = parsed.data;
  const policyChange = input.policy !== undefined || input.presetId !== undefined ? policyOrThrow(input) : null;
  return db.$transaction(async (tx) => {
    const before = await tx.artifactRoot.findUnique({ where: { id: input.rootId } });
    if (!before) throw new ServiceError('not_found', `No artifact root with id ${input.rootId}`);
    const timezone = input.timezone ?? before.timezone;
    if (input.schedule !== undefined) scheduleOrThrow(input.schedule, timezone);
    const after = await tx.artifactRoot.update({
      where: { id: input.rootId },
      data: {
        ...(policyChange ? { policy: policyChange.doc as unknown as Prisma.InputJsonValue, policyVersion: { increment: 1 }, presetId: input.policy === undefined ? (input.presetId ?? null) : null } : {}),
        ...(input.schedule !== undefined ? { schedule: input.schedule || null } : {}),
        ...(input.scheduleMode ? { scheduleMode: input.scheduleMode } : {}),
        ...(input.timezone ? { timezone: input.timezone } : {}),
        ...(input.writeRotationLog !== undefined ? { writeRotationLog: input.writeRotationLog } : {}),
        updatedAt: now,
      },
    });
    let invalidated = 0;
    if (policyChange) {
      invalidated = (await tx.retentionPlan.updateMany({ where: { rootId: before.id, status: { in: ['draft', 'approved'] } }, data: { status: 'invalidated', error: 'policy changed after this plan was made' } })).count;
    }
    await recordAudit(tx, actor, {
      at: now,
      action: 'retention.root.update',
      targetType: 'artifact-root',
      targetId: before.id,
      summary: `Updated root "${before.name}"${policyChange ? ` (policy v${before.policyVersion} → v${after.policyVersion}, ${invalidated} open plan(s) invalidated)` : ''}`,
      before: { policy: before.policy, schedule: before.schedule, scheduleMode: before.scheduleMode, writeRotationLog: before.writeRotationLog },
      after: { policy: after.policy, schedule: after.schedule, scheduleMode: after.scheduleMode, writeRotationLog: after.writeRotationLog },
    });
    return after;
  });
}

/** The root's stored policy, parsed. A stored policy that no longer parses is reported, not ignored. */
export function rootPolicy(root: { name: string; policy: unknown }): RetentionPolicy {
  const parsed = parsePolicy(root.policy);
  if (!parsed.ok) throw new ServiceError('invalid', `The stored policy of root "${root.name}" is invalid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return parsed.policy;
}

export function nextRunOf(root: { schedule: string | null; timezone: string }, now: Date): Date | null {
  if (!root.schedule) return null;
  try {
    return new Cron(root.schedule, { paused: true, timezone: root.timezone }).nextRun(now);
  } catch {
    return null;
  }
}

export function hostName(): string {
  return os.hostname();
}
