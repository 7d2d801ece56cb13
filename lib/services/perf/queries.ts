/** Reads of stored perf data for the API and the pages, within what the actor may see. */
import type { Db } from '@/lib/db/client';
import { ServiceError } from '../errors';
import { mayUseProject, type ProjectScope } from '../flaky/projects';
import { runResultDto, type PerfRunResult } from './run-result';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One run; not_found both for an unknown id and for a project the actor may not see. */
export async function readPerfRun(db: Db, scope: ProjectScope, id: string): Promise<PerfRunResult> {
  const run = UUID.test(id) ? await db.perfRun.findUnique({ where: { id }, select: { id: true, project: { select: { key: true } } } }) : null;
  if (!run || !mayUseProject(scope, run.project.key)) throw new ServiceError('not_found', `No perf run "${id}".`);
  return runResultDto(db, run.id, false);
}
