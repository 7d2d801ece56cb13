'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/auth/action';
import { getEnv } from '@/lib/env';
import { ingestResults, uploadMetaSchema, uploadSpoolDir } from '@/lib/services/flaky/ingest';
import { refreshAfterUpload } from '@/lib/services/flaky/leaderboard-cache';
import { projectSettingsSchema, updateProjectSettings } from '@/lib/services/flaky/project-settings';
import { createProject, newProjectSchema, projectKeySchema } from '@/lib/services/flaky/projects';
import { pinSchema, pinTest, quarantineSchema, quarantineTest, unquarantineSchema, unquarantineTest } from '@/lib/services/flaky/quarantine';
import { chunksOf } from '@/lib/services/flaky/read-upload';
import { reparseUpload } from '@/lib/services/flaky/reparse';
import { expectedUpdatedAtSchema, openTicket, openTicketSchema, ticketPatchSchema, updateTicket } from '@/lib/services/flaky/tickets';
import { afterResponse } from '@/lib/server/after-response';

export const createProjectAction = defineAction({ name: 'project.create', role: 'admin', input: newProjectSchema }, async (input, { db, actor, now }) => {
  const project = await createProject(db, actor, input, now);
  revalidatePath('/flaky');
  return project;
});

/**
 * Upload from the browser (operator). The page gzips each file before sending (CompressionStream),
 * so the server-action body limit (lib/auth/limits.ts) holds several MB of XML; CI uses the API.
 */
export const uploadResultsAction = defineAction(
  {
    name: 'tests.ingest',
    role: 'operator',
    input: z.object({
      project: projectKeySchema,
      meta: uploadMetaSchema.partial().default({}),
      files: z.array(z.instanceof(File)).min(1, 'choose at least one file').max(20, 'at most 20 files at once'),
    }),
  },
  async ({ project, meta, files }, { db, actor, now }) => {
    const inputs = await Promise.all(files.map(async (f) => ({ name: f.name.replace(/\.gz$/, ''), chunks: chunksOf(new Uint8Array(await f.arrayBuffer())) })));
    const result = await ingestResults(db, actor, { project, meta, files: inputs }, { now, rawDays: getEnv().STEWARD_RAW_UPLOAD_DAYS, spoolDir: uploadSpoolDir(getEnv()) });
    afterResponse(() => refreshAfterUpload(db, result));
    revalidatePath(`/flaky/${project}`);
    return { uploads: result.uploads, totals: result.totals, quarantined: result.evaluation.quarantined.length };
  },
);

export const quarantineAction = defineAction({ name: 'test.quarantine', role: 'operator', input: quarantineSchema }, async (input, { db, actor, now }) => {
  const r = await quarantineTest(db, actor, input, now);
  revalidatePath('/flaky', 'layout');
  return r;
});

export const unquarantineAction = defineAction({ name: 'test.unquarantine', role: 'operator', input: unquarantineSchema }, async (input, { db, actor, now }) => {
  const r = await unquarantineTest(db, actor, input, now);
  revalidatePath('/flaky', 'layout');
  return r;
});

export const pinAction = defineAction({ name: 'test.pin', role: 'operator', input: pinSchema }, async (input, { db, actor, now }) => {
  const r = await pinTest(db, actor, input, now);
  revalidatePath('/flaky', 'layout');
  return r;
});

export const updateProjectSettingsAction = defineAction({ name: 'project.update', role: 'admin', input: projectSettingsSchema }, async (input, { db, actor, now }) => {
  const r = await updateProjectSettings(db, actor, input, now);
  revalidatePath(`/flaky/${input.key}`);
  return r;
});

/** Edit an investigation ticket (operator); `expectedUpdatedAt` is what the form was opened with. */
export const updateTicketAction = defineAction(
  { name: 'ticket.update', role: 'operator', input: ticketPatchSchema.extend({ ticketId: z.string().uuid('is not a ticket id'), expectedUpdatedAt: expectedUpdatedAtSchema }) },
  async ({ ticketId, expectedUpdatedAt, ...patch }, { db, actor, now }) => {
    const r = await updateTicket(db, actor, ticketId, patch, { now, expectedUpdatedAt });
    revalidatePath('/flaky', 'layout');
    return { updatedAt: r.ticket.updatedAt, changed: r.changed };
  },
);

export const openTicketAction = defineAction({ name: 'ticket.open', role: 'operator', input: openTicketSchema }, async (input, { db, actor, now }) => {
  const t = await openTicket(db, actor, input, now);
  revalidatePath('/flaky', 'layout');
  return { id: t.id };
});

/** Re-parse one stored raw upload with the current parser (admin): its results are replaced. */
export const reparseUploadAction = defineAction({ name: 'tests.reparse', role: 'admin', input: z.object({ uploadId: z.string().uuid('is not an upload id') }) }, async ({ uploadId }, { db, actor, now }) => {
  const r = await reparseUpload(db, actor, uploadId, { now, spoolDir: uploadSpoolDir(getEnv()) });
  revalidatePath('/flaky', 'layout');
  return { changed: r.changed, before: r.before, after: r.after, quarantined: r.evaluation.quarantined.length };
});
