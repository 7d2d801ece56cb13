/** Query strings of the soak, E2E and chaos GET endpoints, checked with field names. */
import { z } from 'zod';
import { invalid, zodIssues } from '@/lib/services/errors';
import { projectKeySchema } from '@/lib/services/flaky/projects';
import { queryInt, safeDate } from '@/lib/validation';

export const listQuerySchema = z.object({
  project: projectKeySchema.optional(),
  limit: queryInt(1, 200).optional(),
  before: safeDate().optional(),
  days: queryInt(1, 366).optional(),
  points: queryInt(10, 2000).optional(),
  pipeline: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/, 'must be a pipeline name').optional(),
}).strict();

export function readQuery(req: Request): z.output<typeof listQuerySchema> {
  const q = listQuerySchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!q.success) throw invalid(zodIssues(q.error.issues));
  return q.data;
}
