/** Flaky-test projects: create (admin), list, find by key within what the actor may see. */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/lib/db/client';
import { DEFAULT_FLAKY_POLICY, parseFlakyPolicy, type FlakyPolicy } from '@/lib/engine/flaky';
import type { Actor } from '../actor';
import { recordAudit } from '../audit';
import { invalid, ServiceError, zodIssues } from '../errors';

export const PROJECT_KEY_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const projectKeySchema = z.string().trim().regex(PROJECT_KEY_RE, 'must be a project key: lowercase letters, digits, ".", "_" or "-", at most 64');

export const newProjectSchema = z.object({
  key: projectKeySchema,
  name: z.string().trim().min(1, 'is required').max(120),
});

export interface ProjectDto {
  id: string;
  key: string;
  name: string;
  createdAt: string;
}

type ProjectRow = { id: string; key: string; name: string; createdAt: Date };
const toDto = (p: ProjectRow): ProjectDto => ({ id: p.id, key: p.key, name: p.name, createdAt: p.createdAt.toISOString() });

/**
 * Whose view of the projects: an actor (API routes, actions: tokens limited to some projects see
 * only those), or 'all' for server-rendered pages, which have already required a signed-in user
 * (every user sees every project).
 */
export type ProjectScope = Actor | 'all';

/** True when the scope may touch the project. */
export function mayUseProject(actor: ProjectScope | null, key: string): boolean {
  if (!actor) return false;
  if (actor === 'all' || actor.type !== 'token') return true;
  return !actor.projects?.length || actor.projects.includes(key);
}

export async function createProject(db: Db, actor: Actor, raw: z.input<typeof newProjectSchema>, now = new Date()): Promise<ProjectDto> {
  const parsed = newProjectSchema.safeParse(raw);
  if (!parsed.success) throw invalid(zodIssues(parsed.error.issues));
  const { key, name } = parsed.data;
  return db.$transaction(async (tx) => {
    if (await tx.project.findUnique({ where: { key } })) throw new ServiceError('conflict', `A project with key "${key}" already exists.`, [{ field: 'key', message: 'is taken' }]);
    const p = await tx.project.create({ data: { id: crypto.randomUUID(), key, name, createdAt: now } });
    await recordAudit(tx, actor, { at: now, action: 'project.create', targetType: 'project', targetId: p.id, summary: `Created project "${key}"`, after: { key, name } });
    return toDto(p);
  });
}

/** Projects the actor may see, by key. */
export async function listProjects(db: Db, actor: ProjectScope): Promise<ProjectDto[]> {
  const rows = await db.project.findMany({ orderBy: { key: 'asc' }, select: { id: true, key: true, name: true, createdAt: true } });
  return rows.filter((p) => mayUseProject(actor, p.key)).map(toDto);
}

/**
 * The project with this key, or a not_found error. A token limited to other projects gets the
 * same not_found as for a key that does not exist, so it cannot probe which projects exist.
 */
export async function requireProject(db: Db, actor: ProjectScope, key: string): Promise<ProjectRow & { policy: unknown; codeowners: string | null }> {
  const p = PROJECT_KEY_RE.test(key) && mayUseProject(actor, key) ? await db.project.findUnique({ where: { key } }) : null;
  if (!p) throw new ServiceError('not_found', `No project "${key}".`, [{ field: 'project', message: 'not found' }]);
  return p;
}

/**
 * A project's stored policy with the seed's defaults filled in. A stored policy that no longer
 * parses (hand-edited, or from an older version) falls back to the defaults and says so in the
 * server log, rather than stopping ingest.
 */
export function projectPolicy(stored: unknown): FlakyPolicy {
  const r = parseFlakyPolicy(stored ?? {});
  if (r.ok) return r.policy;
  console.warn(`[flaky] stored project policy is invalid, using the defaults: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return { ...DEFAULT_FLAKY_POLICY };
}
