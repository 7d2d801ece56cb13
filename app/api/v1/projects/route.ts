import { defineRoute, otherMethods } from '@/lib/auth/route';
import { createProject, listProjects, newProjectSchema } from '@/lib/services/flaky/projects';

export const dynamic = 'force-dynamic';

/** Projects whose tests Steward tracks. A token limited to some projects lists only those. */
export const GET = defineRoute({ name: 'projects.list', access: { role: 'viewer', scope: 'read' } }, async ({ db, actor }) => ({ projects: await listProjects(db, actor!) }));

/** Create a project (admin, signed in). */
export const POST = defineRoute({ name: 'projects.create', access: { role: 'admin' }, body: newProjectSchema, maxBytes: 8 * 1024 }, async ({ db, actor, body, now }) =>
  Response.json({ project: await createProject(db, actor!, body, now) }, { status: 201 }),
);

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(['GET', 'POST']);
